"""model_b's File-dataset training: the mounted folder of digit images read and trained on."""
import json

import numpy as np
import pytest
from testing_helpers import make_local_run

from shared_code.amltoolbox.model_io import INFO_FILE, MODEL_FILE
from shared_code.amltoolbox.errors import DataError
from shared_code.image_utils.image_files import ImageReadError

from model_b.script_steps import train_file
from model_b.script_steps.train_file import read_digit_images

DATASET = "classification-digits-training-01"


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


def test_main_trains_from_the_mounted_folder(digit_folder, tmp_path, mocker):
    run = make_local_run(tmp_path, {"train_data": {"type": "file", "name": DATASET, "version": 3,
                                                   "path": str(digit_folder)}},
                         outputs=("model",), step="train")
    mocker.patch.object(train_file, "get_run_context", return_value=run)
    train = mocker.spy(train_file, "train_and_save")
    log = mocker.spy(run, "log")
    train_file.main()
    model_dir = tmp_path / "run/train/outputs/model"
    assert (model_dir / MODEL_FILE).is_file()
    info = json.loads((model_dir / INFO_FILE).read_text(encoding="utf-8"))
    assert info["training_data"] == {"train_data": f"{DATASET}:3"}
    assert train.call_args.args[0].shape == (80, 64)
    log.assert_called_once_with("training_images", 80)
    run.workspace.close()
