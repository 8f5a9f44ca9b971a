"""Train model_a from a File dataset: the CSV files of the folder mounted as `train_data`.

The same model as train_tabular.py; use this variant when the data arrives as files.
"""
from shared_code.amltoolbox.csv_reading import csv_files_in, read_csv_files
from shared_code.amltoolbox.promotion.lineage import input_dataset_versions
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.run_context import get_run_context
from shared_code.amltoolbox.step_main import run_step

from model_a.script_steps.train_tabular import MODEL_DIR, train_and_save


def read_training_files(folder) -> tuple[object, str]:
    """The folder's CSV files as one table, and how to name them in messages."""
    label = f"the training files in {folder}"
    return read_csv_files(csv_files_in(folder, label), label), label


def main() -> None:
    """Read the mounted train_data folder, train, write the `model` output."""
    run = get_run_context()
    frame, label = read_training_files(run.input_datasets["train_data"])
    _, checked = train_and_save(frame, load_model_config(MODEL_DIR).training,
                                run.output_datasets["model"], input_dataset_versions(run), label)
    run.log("training_rows", len(checked))


if __name__ == "__main__":
    run_step(main)
