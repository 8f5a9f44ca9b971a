"""Train this model from a File dataset: the CSV files of the folder mounted as `train_data`.

The same model as train_tabular.py; use this variant when the data arrives as files.
"""
from pathlib import Path

from shared_code.amltoolbox import (get_run_context, input_dataset_versions, load_model_config,
                                    run_step)

from model_a.model import read_training_files, train_and_save

MODEL_DIR = Path(__file__).resolve().parents[1]


def main() -> None:
    """Read the mounted train_data folder, train, write the `model` output."""
    run = get_run_context()
    frame, label = read_training_files(run.input_datasets["train_data"])
    _, checked = train_and_save(frame, load_model_config(MODEL_DIR).training,
                                run.output_datasets["model"], input_dataset_versions(run), label)
    run.log("training_rows", len(checked))


if __name__ == "__main__":
    run_step(main)
