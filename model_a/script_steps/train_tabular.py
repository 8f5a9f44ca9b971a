"""Train this model, an XGBoost regressor, from the Tabular dataset `train_data`."""
from pathlib import Path

from shared_code.amltoolbox import (get_run_context, input_dataset_versions, load_model_config,
                                    run_step)

from model_a.model import train_and_save

MODEL_DIR = Path(__file__).resolve().parents[1]


def main() -> None:
    """Read train_data, train, write the `model` output."""
    run = get_run_context()
    training = load_model_config(MODEL_DIR).training
    dataset = run.input_datasets["train_data"]
    _, checked = train_and_save(dataset.to_pandas_dataframe(), training,
                                run.output_datasets["model"], input_dataset_versions(run),
                                source=f"dataset '{dataset.name}' version {dataset.version}")
    run.log("training_rows", len(checked))


if __name__ == "__main__":
    run_step(main)
