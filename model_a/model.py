"""This model's own logic, as plain functions: what its steps and its entry script share.

An XGBoost regressor of diabetes disease progression from ten baseline measurements.
The script steps (script_steps/) read their inputs and call these; config/entry_script.py
reads the model-info keys from here. Nothing here talks to a run.
"""
from pathlib import Path

from shared_code.amltoolbox import (csv_files_in, info_value, load_model, read_csv_files,
                                    save_model)
from shared_code.tabular_utils.frames import check_frame
from shared_code.tabular_utils.regression_metrics import regression_metrics

# model_info.json's keys, which the entry script reads back.
FEATURES_KEY, TARGET_KEY = "features", "target"
# model_info.json's key for the training data's mean target: the naive baseline, which
# evaluate scores beside the model (a model no better than it is never registered).
TRAINING_MEAN_KEY = "training_target_mean"


def check_table(frame, training: dict, source: str):
    """The configured features and target of `frame` as numbers, or a DataError naming
    `source` and what is wrong."""
    return check_frame(frame, training[FEATURES_KEY], training[TARGET_KEY], source)


def read_training_files(folder) -> tuple[object, str]:
    """A folder's CSV files (a File dataset) as one table, and how to name them in messages."""
    label = f"the training files in {folder}"
    return read_csv_files(csv_files_in(folder, label), label), label


def train_model(frame, training: dict):
    """An XGBRegressor fitted on the configured features and target."""
    from xgboost import XGBRegressor
    model = XGBRegressor(**training.get("params", {}), n_jobs=1)
    model.fit(frame[training[FEATURES_KEY]], frame[training[TARGET_KEY]])
    return model


def model_info(training: dict, training_data: dict, training_mean: float) -> dict:
    """What the saved model expects and what it was trained on."""
    return {"framework": "xgboost", "task": "regression", FEATURES_KEY: training[FEATURES_KEY],
            TARGET_KEY: training[TARGET_KEY], "params": training.get("params", {}),
            "training_data": training_data, TRAINING_MEAN_KEY: training_mean}


def train_and_save(frame, training: dict, model_dir, training_data: dict, source: str):
    """Check the table, train, save into `model_dir`; return the model and the checked table."""
    checked = check_table(frame, training, source)
    model = train_model(checked, training)
    training_mean = float(checked[training[TARGET_KEY]].mean())
    save_model(model, model_dir, model_info(training, training_data, training_mean))
    return model, checked


def make_baseline_scorer(test_frame, training: dict):
    """score_baseline(model_dir) -> (metrics, description): the naive baseline of the model
    in model_dir, its training data's mean target predicted for every test row."""
    import numpy as np

    def score_baseline(model_dir: Path):
        _, info = load_model(model_dir)
        mean = info_value(info, TRAINING_MEAN_KEY, model_dir)
        predictions = np.full(len(test_frame), mean)
        return (regression_metrics(test_frame[training[TARGET_KEY]], predictions),
                f"the training mean ({mean:.4g}) for every row")
    return score_baseline


def make_scorer(test_frame, training: dict):
    """score(model_dir) -> (metrics, predictions) on a checked test table."""
    def score(model_dir: Path):
        model, _ = load_model(model_dir)
        predictions = model.predict(test_frame[training[FEATURES_KEY]])
        return regression_metrics(test_frame[training[TARGET_KEY]], predictions), predictions
    return score
