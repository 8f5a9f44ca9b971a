"""Train model_a, an XGBoost regressor, from the Tabular dataset `train_data`."""
from pathlib import Path

from shared_code.amltoolbox.promotion.lineage import input_dataset_versions
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import save_model
from shared_code.amltoolbox.run_context import get_run_context
from shared_code.amltoolbox.step_main import run_step
from shared_code.tabular_utils.frames import check_frame

MODEL_DIR = Path(__file__).resolve().parents[1]


def train_model(frame, training: dict):
    """An XGBRegressor fitted on the configured features and target."""
    from xgboost import XGBRegressor
    model = XGBRegressor(**training.get("params", {}), n_jobs=1)
    model.fit(frame[training["features"]], frame[training["target"]])
    return model


def model_info(training: dict, training_data: dict) -> dict:
    """What the saved model expects and what it was trained on."""
    return {"framework": "xgboost", "task": "regression", "features": training["features"],
            "target": training["target"], "params": training.get("params", {}),
            "training_data": training_data}


def train_and_save(frame, training: dict, model_dir, training_data: dict, source: str):
    """Check the table, train, save into `model_dir`; return the model and the checked table."""
    checked = check_frame(frame, training["features"], training["target"], source)
    model = train_model(checked, training)
    save_model(model, model_dir, model_info(training, training_data))
    return model, checked


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
