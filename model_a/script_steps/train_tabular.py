"""Train this model, an XGBoost regressor, from the Tabular dataset `train_data`."""
from shared_code.amltoolbox import StepContext, input_dataset_versions, run_step

from model_a.model import train_and_save


def main(context: StepContext) -> None:
    """Read train_data, train, write the `model` output."""
    run = context.run
    dataset = run.input_datasets["train_data"]
    _, checked = train_and_save(dataset.to_pandas_dataframe(), context.config.training,
                                run.output_datasets["model"], input_dataset_versions(run),
                                source=f"dataset '{dataset.name}' version {dataset.version}")
    run.log("training_rows", len(checked))


if __name__ == "__main__":
    run_step(main)
