"""Profile this model's training images: python -m model_b.eda.run_eda

Writes per-digit counts and statistics, example images, each digit's mean image and the
gray-level histogram under eda/output/ in this folder (git-ignored). The images are the
training dataset's files, made first if need be.
"""
from pathlib import Path

from shared_code.amltoolbox.local.dataset_preparation import local_dataset_path
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.image_utils.image_folders import read_labelled_images
from shared_code.plottingtoolbox.image_eda_report import profile_images

from model_b.model import image_size

MODEL_DIR = Path(__file__).resolve().parents[1]
OUTPUT_DIR = Path(__file__).resolve().parent / "output"


def training_images(model_dir: Path = MODEL_DIR):
    """The training images and their digits, written by prepare_data if not there yet."""
    config = load_model_config(model_dir)
    folder = local_dataset_path(config, "training")
    return read_labelled_images(folder, image_size(config.training), "the training images")


def main(model_dir: Path = MODEL_DIR, output_dir: Path = OUTPUT_DIR) -> None:
    """Profile the training images and say where the files are."""
    images = training_images(model_dir)
    for path in profile_images(images.images, images.labels, output_dir):
        print(path)


if __name__ == "__main__":
    main()
