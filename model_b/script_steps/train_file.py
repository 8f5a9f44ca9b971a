"""Train model_b from a File dataset: the folder of digit images mounted as `train_data`
(<digit>/<image>.png, 8x8 grayscale). The pipeline trains with this script.

The same model as train_tabular.py; the pixels come from image files instead of a table.
"""
from pathlib import Path

from shared_code.amltoolbox.promotion.lineage import input_dataset_versions
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.run_context import get_run_context
from shared_code.amltoolbox.step_main import run_step
from shared_code.image_utils.image_folders import read_labelled_images
from shared_code.image_utils.pixels import pixel_features

from model_b.script_steps.train_tabular import (MODEL_DIR, digit_labels, image_size,
                                                train_and_save)

SHOWN_SKIPPED = 5


def read_digit_images(folder: str | Path, training: dict, source: str):
    """The folder's images as pixel features (0..max, row by row) and their digits."""
    images = read_labelled_images(Path(folder), image_size(training), source)
    if images.skipped:
        names = ", ".join(p.name for p in images.skipped[:SHOWN_SKIPPED])
        more = ", ..." if len(images.skipped) > SHOWN_SKIPPED else ""
        print(f"{source}: skipped {len(images.skipped)} file(s) that are not images "
              f"({names}{more})")
    return (pixel_features(images.images, training["max_pixel_value"]),
            digit_labels(images.labels, source))


def main() -> None:
    """Read the mounted train_data folder, train, write the `model` output."""
    run = get_run_context()
    training = load_model_config(MODEL_DIR).training
    folder = run.input_datasets["train_data"]
    source = f"the training images in {folder}"
    features, digits = read_digit_images(folder, training, source)
    train_and_save(features, digits, training, run.output_datasets["model"],
                   input_dataset_versions(run), source)
    run.log("training_images", len(digits))


if __name__ == "__main__":
    run_step(main)
