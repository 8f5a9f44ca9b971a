"""train_tabular.py: model_b trained from a Tabular dataset of pixels (one row per image)."""
import json

import pandas as pd
from testing_helpers import make_current_run, run_step_main

from shared_code.amltoolbox.model_io import INFO_FILE
from shared_code.image_utils.pixels import pixel_columns

from model_b.script_steps import train_tabular

DATASET = "classification-digits-training-01"


def test_main_trains_from_the_tabular_dataset(tmp_path, mocker, monkeypatch, some_digits):
    folder = tmp_path / "table"
    folder.mkdir()
    images, digits, _ = some_digits()
    frame = pd.DataFrame(images.reshape(len(images), -1), columns=pixel_columns(8, 8))
    frame["label"] = digits
    frame.to_csv(folder / "pixels.csv", index=False)
    run = make_current_run(tmp_path, monkeypatch, inputs={
        "train_data": {"type": "tabular", "name": DATASET, "version": 2, "path": str(folder)}},
        outputs=("model",), step="train")
    log = mocker.spy(run, "log")
    run_step_main(train_tabular)
    info = json.loads((tmp_path / "run/train/outputs/model" / INFO_FILE).read_text("utf-8"))
    assert info["training_data"] == {"train_data": f"{DATASET}:2"}
    log.assert_called_once_with("training_images", 80)
    run.workspace.close()
