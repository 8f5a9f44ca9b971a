"""Fixtures for model_b's tests: small real folders of digit images and a model trained on one.

model_b_workspace, a workspace where the real pipeline has run once, is testing/conftest.py's.
"""
from pathlib import Path

import pytest
from testing_helpers import load_samples

from shared_code.amltoolbox.model_config import load_model_config
from shared_code.image_utils.image_folders import write_labelled_images
from shared_code.image_utils.pixels import to_gray

from model_b.model import train_and_save

MODEL_DIR = Path(__file__).resolve().parents[2] / "model_b"
digits_sample = load_samples(__file__, "samples_images").digits_sample


@pytest.fixture(name="some_digits")
def fixture_some_digits():
    """digits_sample, for tests that pick their own images: some_digits(per_digit, skip)."""
    return digits_sample


@pytest.fixture(name="training")
def fixture_training() -> dict:
    """model_b's training settings, from its config."""
    return load_model_config(MODEL_DIR).training


@pytest.fixture(name="digit_folder")
def fixture_digit_folder(tmp_path):
    """A File dataset as a step gets it: digit/<image>.png, 8 real images per digit."""
    images, digits, indices = digits_sample()
    return write_labelled_images(to_gray(images, 16), digits, [f"digit_{i:04d}" for i in indices],
                                 tmp_path / "digits")


@pytest.fixture(name="model_dir")
def fixture_model_dir(tmp_path, training):
    """A model trained for real on 8 images per digit, saved as the train step saves it."""
    images, digits, _ = digits_sample()
    folder = tmp_path / "model"
    train_and_save(images.reshape(len(images), -1), digits, training, folder,
                   {"train_data": "classification-digits-training-01:1"}, "digits")
    return folder
