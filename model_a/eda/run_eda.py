"""Profile this model's training data: python -m model_a.eda.run_eda

Writes summary statistics, distributions and correlations under eda/output/ in this folder
(git-ignored). The data is the training dataset's files, made first if need be.
"""
from pathlib import Path

from shared_code.amltoolbox import csv_files_in, read_csv_files
from shared_code.amltoolbox.local.dataset_preparation import local_dataset_path
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.plottingtoolbox.eda_report import profile_table

MODEL_DIR = Path(__file__).resolve().parents[1]
OUTPUT_DIR = Path(__file__).resolve().parent / "output"


def training_frame(model_dir: Path = MODEL_DIR):
    """The training data as a table, written by prepare_data if it is not there yet."""
    folder = local_dataset_path(load_model_config(model_dir), "training")
    return read_csv_files(csv_files_in(folder, "the training data"), "the training data")


def main(model_dir: Path = MODEL_DIR, output_dir: Path = OUTPUT_DIR) -> None:
    """Profile the training data and say where the files are."""
    for path in profile_table(training_frame(model_dir), output_dir):
        print(path)


if __name__ == "__main__":
    main()
