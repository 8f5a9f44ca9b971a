"""model_b's datasets: the digits split reproducibly and written as one PNG per image."""
import shutil

import numpy as np
import pytest

from shared_code.image_utils.image_folders import read_labelled_images
from shared_code.image_utils.pixels import to_levels

from model_b.script_steps.prepare_data import load_digits_images, split_indices, write_datasets
from model_b.aml_pipeline import CONFIG


@pytest.fixture(name="model_copy")
def fixture_model_copy(tmp_path):
    """An empty model_b folder holding only its config, so data is written under tmp_path."""
    folder = tmp_path / CONFIG.folder.name
    shutil.copytree(CONFIG.folder / "config", folder / "config")
    return folder


def test_the_split_is_stratified_reproducible_and_complete():
    _, digits = load_digits_images()
    training, testing = split_indices(digits)
    assert (len(training), len(testing)) == (1347, 450)
    assert np.array_equal(training, split_indices(digits)[0])
    assert sorted(np.concatenate([training, testing])) == list(range(1797))
    shares = np.bincount(digits[testing], minlength=10) / np.bincount(digits, minlength=10)
    assert shares.min() > 0.24 and shares.max() < 0.26


def test_write_datasets_writes_one_png_per_image_in_its_digit_folder(model_copy):
    written = write_datasets(model_copy)
    assert written == {"training": model_copy / "data" / "training",
                       "testing": model_copy / "data" / "testing"}
    images, digits = load_digits_images()
    for usage, expected in (("training", 1347), ("testing", 450)):
        read = read_labelled_images(written[usage], (8, 8), usage)
        assert len(read) == expected and sorted(set(read.labels)) == list("0123456789")
        indices = [int(p.stem.removeprefix("digit_")) for p in read.files]
        assert [str(d) for d in digits[indices]] == read.labels
        assert np.array_equal(to_levels(read.images, 16), images[indices])
