"""model.py: model_b's own functions (images and pixel tables read and checked, the
classifier trained, saved and scored), which its steps and entry script share."""
import json
import re

import numpy as np
import pandas as pd
import pytest

from shared_code.amltoolbox.errors import DataError, UserError
from shared_code.amltoolbox.model_io import load_model
from shared_code.image_utils.image_files import ImageReadError
from shared_code.image_utils.pixels import pixel_columns

from model_b.model import (MAJORITY_CLASS_KEY, check_pixel_table, digit_labels,
                           feature_columns, image_shape, image_size, make_baseline_scorer,
                           make_scorer, read_digit_images, train_and_save)

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


def test_the_images_become_pixel_rows_on_the_0_to_16_scale(digit_folder, training, some_digits):
    features, digits = read_digit_images(digit_folder, training, "images")
    images, expected_digits, _ = some_digits()
    assert features.shape == (80, 64)
    assert np.array_equal(features, images.reshape(80, 64))
    assert np.array_equal(digits, expected_digits)


def test_stray_files_are_skipped_and_reported(digit_folder, training, capsys):
    for name in ("notes.txt", "scan.pdf", "a.csv", "b.csv", "c.csv", "d.csv"):
        (digit_folder / "3" / name).write_text("not an image")
    features, _ = read_digit_images(digit_folder, training, "images")
    assert len(features) == 80
    assert "images: skipped 6 file(s) that are not images (a.csv, b.csv, c.csv, d.csv, " \
           "notes.txt, ...)" in capsys.readouterr().out


def test_a_class_folder_that_is_not_a_digit_is_named(digit_folder, training):
    (digit_folder / "3").rename(digit_folder / "three")
    with pytest.raises(DataError, match="the label 'three' is not a digit 0-9"):
        read_digit_images(digit_folder, training, "images")


def test_an_unreadable_image_stops_training_naming_it(digit_folder, training):
    (digit_folder / "5" / "digit_9999.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ImageReadError, match="images: 5/digit_9999.png"):
        read_digit_images(digit_folder, training, "images")


def test_the_scorer_gives_accuracy_f1_and_each_digits_recall(model_dir, digit_folder, training):
    features, digits = read_digit_images(digit_folder, training, "images")
    metrics, predictions = make_scorer(features, digits)(model_dir)
    assert len(predictions) == 80
    assert metrics["accuracy"] == pytest.approx((predictions == digits).mean())
    for digit in range(10):
        assert metrics[f"false_negative_rate_{digit}"] == pytest.approx(
            1 - metrics[f"recall_{digit}"])
    assert {"f1_macro", "min_recall"} <= set(metrics)


def test_image_shape_is_read_back_from_model_info():
    shape = image_shape({"image_size": [8, 8], "max_pixel_value": 16})
    assert (shape.width, shape.height, shape.max_level) == (8, 8, 16)
    with pytest.raises(KeyError):
        image_shape({"image_size": [8, 8]})


def test_the_baseline_is_the_training_datas_most_frequent_digit(tmp_path, training,
                                                                some_digits):
    images, digits, _ = some_digits()
    extra_sevens = digits == 7  # one more image of 7 than of any other digit
    images = np.concatenate([images, images[extra_sevens][:1]])
    digits = np.concatenate([digits, [7]])
    train_and_save(images.reshape(len(images), -1), digits, training, tmp_path / "m", {}, "d")
    assert load_model(tmp_path / "m")[1][MAJORITY_CLASS_KEY] == 7
    test_digits = np.array([7, 7, 1, 2])
    metrics, description = make_baseline_scorer(test_digits)(tmp_path / "m")
    assert metrics["accuracy"] == 0.5 and metrics["recall_7"] == 1.0
    assert description == "the training data's most frequent digit (7) for every image"


def test_a_model_saved_without_its_baseline_must_be_trained_again(model_dir):
    info_file = model_dir / "model_info.json"
    info = json.loads(info_file.read_text(encoding="utf-8"))
    del info[MAJORITY_CLASS_KEY]
    info_file.write_text(json.dumps(info), encoding="utf-8")
    with pytest.raises(UserError, match="has no training_majority_class: train the model again"):
        make_baseline_scorer(np.array([1]))(model_dir)


@pytest.mark.parametrize("folds, images_of_3", [(5, 4), (3, 2)])
def test_a_digit_with_fewer_images_than_calibration_folds_is_refused_naming_it(
        tmp_path, training, some_digits, folds, images_of_3):
    images, digits, _ = some_digits()
    keep = np.ones(len(digits), bool)
    keep[np.flatnonzero(digits == 3)[images_of_3:]] = False
    training = {**training, "calibration": {**training["calibration"], "cv": folds}}
    expected = (f"images: has fewer than {folds} images of the digit(s) 3 ({images_of_3}): the "
                f"probability calibration splits each digit's images {folds} ways")
    with pytest.raises(DataError, match=re.escape(expected)):
        train_and_save(images[keep].reshape(keep.sum(), -1), digits[keep], training,
                       tmp_path / "m", {}, "images:")
