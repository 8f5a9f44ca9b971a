"""Training dataset in, model out: the document's snippets, scikit-learn and pickle."""
import os
import pickle

from azureml.core.run import Run
from sklearn.linear_model import LinearRegression


def main():
    """Fit a linear regression on train_data, pickle it into the `model` output."""
    run = Run.get_context()
    train = run.input_datasets['train_data'].to_pandas_dataframe()
    model_instance = LinearRegression().fit(train.drop(columns=['target']), train['target'])
    # run.output_datasets['dataset_name'] returns a string path when passed in as_mount
    model_file_path = run.output_datasets['model']
    with open(os.path.join(model_file_path, 'model.pkl'), 'wb') as file:
        pickle.dump(model_instance, file)


if __name__ == '__main__':
    main()
