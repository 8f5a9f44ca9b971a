"""Evaluate the model on test_data and write summary.json with register_trained_model."""
import json
import os
import pickle

from azureml.core.run import Run
from sklearn.metrics import r2_score


def main():
    """Score the model, log r2, say whether to register it."""
    run = Run.get_context()
    model_file_path = run.input_datasets['model']
    with open(os.path.join(model_file_path, 'model.pkl'), 'rb') as file:
        model_in_training = pickle.load(file)
    test = run.input_datasets['test_data'].to_pandas_dataframe()
    r2 = r2_score(test['target'], model_in_training.predict(test.drop(columns=['target'])))
    run.log('r2', r2)
    with open(os.path.join(run.output_datasets['model_score'], 'summary.json'), 'w',
              encoding='utf-8') as file:
        json.dump({'register_trained_model': bool(r2 > 0)}, file)


if __name__ == '__main__':
    main()
