"""Train this model from a File dataset: the CSV files of the folder mounted as `train_data`.

The same model as train_tabular.py; use this variant when the data arrives as files.
"""
from shared_code.amltoolbox import StepContext, input_dataset_versions, run_step

from model_a.model import read_training_files, train_and_save


def main(context: StepContext) -> None:
    """Read the mounted train_data folder, train, write the `model` output."""
    run = context.run
    frame, label = read_training_files(run.input_datasets["train_data"])
    _, checked = train_and_save(frame, context.config.training,
                                run.output_datasets["model"], input_dataset_versions(run), label)
    run.log("training_rows", len(checked))


if __name__ == "__main__":
    run_step(main)
