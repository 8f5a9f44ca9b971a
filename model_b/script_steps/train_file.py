"""Train this model from a File dataset: the folder of digit images mounted as `train_data`
(<digit>/<image>.png, 8x8 grayscale). The pipeline trains with this script.

The same model as train_tabular.py; the pixels come from image files instead of a table.
"""
from shared_code.amltoolbox import StepContext, input_dataset_versions, run_step

from model_b.model import read_digit_images, train_and_save

def main(context: StepContext) -> None:
    """Read the mounted train_data folder, train, write the `model` output."""
    run, training = context.run, context.config.training
    folder = run.input_datasets["train_data"]
    source = f"the training images in {folder}"
    features, digits = read_digit_images(folder, training, source)
    train_and_save(features, digits, training, run.output_datasets["model"],
                   input_dataset_versions(run), source)
    run.log("training_images", len(digits))


if __name__ == "__main__":
    run_step(main)
