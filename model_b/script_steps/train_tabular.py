"""Train this model, a digit classifier, from the Tabular dataset `train_data`: one row per
image, a column per pixel (pixel_<row>_<column>, intensities 0-16) and a label column."""
from shared_code.amltoolbox import StepContext, input_dataset_versions, run_step

from model_b.model import check_pixel_table, train_and_save

def main(context: StepContext) -> None:
    """Read train_data, train, write the `model` output."""
    run, training = context.run, context.config.training
    dataset = run.input_datasets["train_data"]
    source = f"dataset '{dataset.name}' version {dataset.version}"
    features, digits = check_pixel_table(dataset.to_pandas_dataframe(), training, source)
    train_and_save(features, digits, training, run.output_datasets["model"],
                   input_dataset_versions(run), source)
    run.log("training_images", len(digits))


if __name__ == "__main__":
    run_step(main)
