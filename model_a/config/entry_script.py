"""This model's scoring script: init() loads the registered model, run() scores patients.

The Azure ML inference server (azmlinfsrv) runs it, in Azure ML and locally
(`tox -e serve -- model_a`). A request is {"data": [{"age": 61, "sex": 1, ...}, ...]}, one
object per patient holding exactly the ten baseline columns the model was trained on;
the answer is {"predictions": [...], "model": "model_a:1"}, one disease-progression score
per patient. A bad request gets a 4xx with {"message": ...}. What every model needs
(loading, checksum, row and body limits, 4xx answers) is in shared_code/amltoolbox/serving.
"""
from pathlib import Path

from shared_code.amltoolbox import (ModelLoadError, check_feature_order, check_rows,
                                    limit_request_bodies, load_model_config, load_served_model,
                                    max_rows_setting, record_schema, records_to_matrix,
                                    reject_undecodable_bodies, score_or_reject)
from shared_code.tabular_utils.tree_ensemble import serving_predictor

from model_a.model import FEATURES_KEY

MODEL_FOLDER = Path(__file__).resolve().parents[1]

# A real patient from the testing data and the model's answer: the examples in /swagger.json.
# should-change: a real request row of your model, and its answer
EXAMPLE_ROW = {"age": 61.0, "sex": 1.0, "bmi": 25.8, "bp": 90.0, "s1": 280.0, "s2": 195.4,
               "s3": 55.0, "s4": 5.0, "s5": 4.9972, "s6": 90.0}
EXAMPLE_ANSWER = {"predictions": [148.99871826171875], "model": "model_a:1"}

_loaded: dict = {}  # what init() loads, once per server worker


def init() -> None:
    """Load the model once, refusing files whose sha256 differs from the registry's record."""
    reject_undecodable_bodies()
    config = load_model_config(MODEL_FOLDER)
    limit_request_bodies(config.serving)
    served = load_served_model(config.model_name)
    features = served.info.get(FEATURES_KEY)
    if not features:
        raise ModelLoadError(f"{served.folder}/model_info.json lists no features: train and "
                             "register the model again (script_steps/train_tabular.py)")
    check_feature_order(served.model, features)
    # XGBRegressor.predict() reads and rewrites XGBoost's global configuration on every
    # call, and even its booster's inplace_predict costs more than scoring a row: a few rows
    # are scored by numpy, with the same numbers (tabular_utils/tree_ensemble.py).
    _loaded.update(predict=serving_predictor(served.model.get_booster()), model_id=served.id,
                   features=features, max_rows=max_rows_setting(config.serving))


def score(data) -> dict:
    """Predictions for a list of patient records; a ClientError for anything else."""
    rows = check_rows(data, _loaded["max_rows"])
    matrix = records_to_matrix(rows, _loaded["features"])
    return {"predictions": _loaded["predict"](matrix).tolist(),
            "model": _loaded["model_id"]}


# The server parses the JSON body and passes its "data"; score() checks it. The schema is
# /swagger.json's, recorded without a wrapper around each call (serving/schema.py).
@record_schema("data", [EXAMPLE_ROW], EXAMPLE_ANSWER)
def run(data):
    """The request's predictions, or a 4xx response saying what was wrong with it."""
    return score_or_reject(score, data)
