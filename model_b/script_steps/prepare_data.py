"""This model's datasets, made by code: scikit-learn's handwritten digits as PNG files.

1,797 images of 8x8 pixels with intensities 0-16, written as grayscale PNGs in one
folder per digit (data/training/3/digit_0042.png), split 75/25 with a seed and
stratified by digit, so every machine makes the same files. Each file is named after
the image's index in scikit-learn's data set.
"""
from pathlib import Path

from shared_code.amltoolbox.model_config import load_model_config
from shared_code.image_utils.image_folders import write_labelled_images
from shared_code.image_utils.pixels import to_gray

TEST_FRACTION = 0.25
SPLIT_SEED = 42


def load_digits_images():
    """The digits as (images, digits): (1797, 8, 8) intensities 0-16, and labels 0-9."""
    from sklearn.datasets import load_digits
    bunch = load_digits()
    return bunch.images, bunch.target


def split_indices(digits, test_fraction: float = TEST_FRACTION, seed: int = SPLIT_SEED):
    """A reproducible training/testing split of the images' indices, stratified by digit."""
    import numpy as np
    from sklearn.model_selection import train_test_split
    return train_test_split(np.arange(len(digits)), test_size=test_fraction,
                            random_state=seed, stratify=digits)


def write_datasets(model_dir: Path) -> dict[str, Path]:
    """Write the training and testing image folders where the config's datasets point."""
    config = load_model_config(model_dir)
    max_level = config.training["max_pixel_value"]
    images, digits = load_digits_images()
    written = {}
    for usage, indices in zip(("training", "testing"), split_indices(digits)):
        written[usage] = write_labelled_images(
            to_gray(images[indices], max_level), digits[indices],
            [f"digit_{index:04d}" for index in indices], model_dir / config.dataset(usage).path)
    return written


if __name__ == "__main__":
    for name, folder in write_datasets(Path(__file__).resolve().parents[1]).items():
        print(f"{name}: {folder}")
