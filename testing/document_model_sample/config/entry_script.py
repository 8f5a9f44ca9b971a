"""init() loads the model from AZUREML_MODEL_DIR; run() returns its predictions."""
import json
import os
import pickle
from pathlib import Path

import pandas as pd

model = None  # pylint: disable=invalid-name  # what init() loads, as the document's examples


def init():
    """Load model.pkl from where the server put the registered model."""
    global model  # pylint: disable=global-statement
    model_path = next(Path(os.environ['AZUREML_MODEL_DIR']).rglob('model.pkl'))
    with open(model_path, 'rb') as file:
        model = pickle.load(file)


def run(raw_data):
    """The predictions for {"data": [{column: value, ...}, ...]}."""
    data = pd.DataFrame(json.loads(raw_data)['data'])
    return model.predict(data).tolist()
