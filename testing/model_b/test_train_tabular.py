"""model_b's Tabular variant: a table of pixels checked, then the classifier trained and saved."""
import json

import numpy as np
import pandas as pd
import pytest
from testing_helpers import make_local_run

from shared_code.amltoolbox.model_io import INFO_FILE, load_model
from shared_code.amltoolbox.errors import DataError
from shared_code.image_utils.pixels import pixel_columns

from model_b.script_steps import train_tabular
from model_b.script_steps.train_tabular import (check_pixel_table, digit_labels, feature_columns,
                                                image_size, train_and_save)

DATASET = "classification-digits-training-01"


def pixel_table(some_digits) -> pd.DataFrame:
    """8 images per digit as the Tabular variant reads them: pixel columns and a label."""
    images, digits, _ = some_digits()
    frame = pd.DataFrame(images.reshape(len(images), -1), columns=pixel_columns(8, 8))
    frame["label"] = digits
    return frame


def test_the_config_describes_8x8_images_and_their_pixel_columns(training):
    assert image_size(training) == (8, 8)
    columns = feature_columns(training)
    assert len(columns) == 64 and columns[:2] == ["pixel_0_0", "pixel_0_1"]


@pytest.mark.parametrize("labels, expected", [
    (["0", "9", "3"], [0, 9, 3]), ([1.0, 2.0], [1, 2]), (np.array([7, 7]), [7, 7])])
def test_digit_labels_accepts_digits_as_text_or_numbers(labels, expected):
    assert digit_labels(labels, "data").tolist() == expected


@pytest.mark.parametrize("bad", ["cat", "10", "-1", "3.5", "nan"])
def test_digit_labels_names_a_label_that_is_not_a_digit(bad):
    with pytest.raises(DataError, match=f"data: the label '{bad}' is not a digit 0-9"):
        digit_labels(["1", bad], "data")


def test_a_good_table_gives_the_pixels_and_digits(training, some_digits):
    pixels, digits = check_pixel_table(pixel_table(some_digits), training, "table")
    assert pixels.shape == (80, 64) and digits.tolist()[:9] == [0] * 8 + [1]


def test_a_missing_pixel_column_is_named(training, some_digits):
    with pytest.raises(DataError, match="table is missing the column.*'pixel_7_7'"):
        check_pixel_table(pixel_table(some_digits).drop(columns="pixel_7_7"), training, "table")


def test_a_pixel_out_of_range_is_named_by_row_and_column(training, some_digits):
    frame = pixel_table(some_digits)
    frame.loc[4, "pixel_2_3"] = 17
    with pytest.raises(DataError, match=r"table: row 5, column pixel_2_3 is 17; pixel "
                                        r"intensities run from 0 to 16"):
        check_pixel_table(frame, training, "table")


def test_training_needs_every_digit(training, tmp_path, some_digits):
    images, digits, _ = some_digits()
    keep = digits != 7
    with pytest.raises(DataError, match="has no images of the digit.s. 7"):
        train_and_save(images[keep].reshape(-1, 64), digits[keep], training, tmp_path, {}, "data")
    assert not list(tmp_path.iterdir())


def test_the_saved_model_predicts_digits_and_says_what_it_expects(model_dir, training,
                                                                  some_digits):
    model, info = load_model(model_dir)
    images, digits, _ = some_digits(per_digit=3, skip=20)  # images it has not seen
    assert (model.predict(images.reshape(-1, 64)) == digits).mean() > 0.7
    assert info["classes"] == list(range(10)) and info["image_size"] == [8, 8]
    assert info["max_pixel_value"] == 16 and info["features"] == feature_columns(training)
    assert info["training_data"] == {"train_data": f"{DATASET}:1"}


def test_main_trains_from_the_tabular_dataset(tmp_path, mocker, some_digits):
    folder = tmp_path / "table"
    folder.mkdir()
    pixel_table(some_digits).to_csv(folder / "pixels.csv", index=False)
    run = make_local_run(tmp_path, {"train_data": {"type": "tabular", "name": DATASET,
                                                   "version": 2, "path": str(folder)}},
                         outputs=("model",), step="train")
    mocker.patch.object(train_tabular, "get_run_context", return_value=run)
    log = mocker.spy(run, "log")
    train_tabular.main()
    info = json.loads((tmp_path / "run/train/outputs/model" / INFO_FILE).read_text("utf-8"))
    assert info["training_data"] == {"train_data": f"{DATASET}:2"}
    log.assert_called_once_with("training_images", 80)
    run.workspace.close()
