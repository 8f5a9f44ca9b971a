"""This model's scoring script: init() loads the registered model, run() scores patients.

The Azure ML inference server (azmlinfsrv) runs it, in Azure ML and locally
(`tox -e serve -- model_a`). A request is {"data": [{"age": 61, "sex": 1, ...}, ...]}, one
object per patient holding exactly the ten baseline columns the model was trained on;
the answer is {"predictions": [...], "model": "model_a:1"}, one disease-progression score
per patient. A bad request gets a 4xx with {"message": ...}. What every model needs
(loading, checksum, row and body limits, 4xx answers) is in shared_code/amltoolbox/serving.
"""
from shared_code.amltoolbox import init_served_model, scoring_run
from shared_code.tabular_utils.tabular_records import records_to_matrix, served_features
from shared_code.tabular_utils.tree_ensemble import serving_predictor

# A real patient from the testing data and the model's answer: the examples in /swagger.json.
# should-change: a real request row of your model, and its answer
EXAMPLE_ROW = {"age": 61.0, "sex": 1.0, "bmi": 25.8, "bp": 90.0, "s1": 280.0, "s2": 195.4,
               "s3": 55.0, "s4": 5.0, "s5": 4.9972, "s6": 90.0}
EXAMPLE_ANSWER = {"predictions": [148.99871826171875], "model": "model_a:1"}

_loaded: dict = {}  # what init() loads, once per server worker


def init() -> None:
    """Load the model once, refusing files whose sha256 differs from the registry's record."""
    served = init_served_model(__file__)
    features = served_features(served)  # model_info.json's, else the model's or the config's
    # XGBRegressor.predict() reads and rewrites XGBoost's global configuration on every
    # call, and even its booster's inplace_predict costs more than scoring a row: a few rows
    # are scored by numpy, with the same numbers (tabular_utils/tree_ensemble.py).
    _loaded.update(predict=serving_predictor(served.model.get_booster()), model_id=served.id,
                   features=features)


# The server parses the JSON body and passes its "data", checked to be 1 to
# serving.max_rows rows; a ClientError from here is answered with its 4xx. A batch hands
# it a DataFrame of rows instead (`score`, ParallelRunStep): records_to_matrix takes both.
@scoring_run(EXAMPLE_ROW, EXAMPLE_ANSWER, takes_data_frames=True)
def run(rows: list) -> dict:
    """Predictions for a list of patient records."""
    matrix = records_to_matrix(rows, _loaded["features"])
    return {"predictions": _loaded["predict"](matrix).tolist(), "model": _loaded["model_id"]}
