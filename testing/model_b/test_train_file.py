"""train_file.py: model_b trained from the mounted folder of digit images (a File dataset)."""
import json

from testing_helpers import make_current_run, run_step_main

from shared_code.amltoolbox.model_io import INFO_FILE, MODEL_FILE

from model_b import model
from model_b.script_steps import train_file

DATASET = "classification-digits-training-01"


def test_main_trains_from_the_mounted_folder(digit_folder, tmp_path, mocker, monkeypatch):
    run = make_current_run(tmp_path, monkeypatch, inputs={
        "train_data": {"type": "file", "name": DATASET, "version": 3, "path": str(digit_folder)}},
        outputs=("model",), step="train")
    fit = mocker.spy(model, "train_model")
    log = mocker.spy(run, "log")
    run_step_main(train_file)
    model_dir = tmp_path / "run/train/outputs/model"
    assert (model_dir / MODEL_FILE).is_file()
    info = json.loads((model_dir / INFO_FILE).read_text(encoding="utf-8"))
    assert info["training_data"] == {"train_data": f"{DATASET}:3"}
    assert fit.call_args.args[0].shape == (80, 64)
    log.assert_called_once_with("training_images", 80)
    run.workspace.close()
