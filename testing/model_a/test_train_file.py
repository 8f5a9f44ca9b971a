"""train_file.py: the same model, trained from the CSV files of a mounted File dataset."""
import json

import pytest
from sklearn.dummy import DummyRegressor
from testing_helpers import load_samples, make_current_run, run_step_main

from model_a import model
from model_a.aml_pipeline import CONFIG
from model_a.script_steps import train_file
from shared_code.amltoolbox.model_io import INFO_FILE, MODEL_FILE

TABLES = load_samples(__file__, "samples_tables")

TRAINING = CONFIG.dataset("training").name


@pytest.fixture(name="mounted")
def fixture_mounted(tmp_path):
    """A mounted folder holding the training table in two CSV files."""
    training = TABLES.training_table()
    folder = tmp_path / "mounted"
    (folder / "more").mkdir(parents=True)
    training.iloc[:200].to_csv(folder / "part1.csv", index=False)
    training.iloc[200:].to_csv(folder / "more" / "part2.csv", index=False)
    return folder


def test_main_trains_from_the_mounted_folder(tmp_path, mounted, mocker, monkeypatch):
    inputs = {"train_data": {"type": "file", "name": TRAINING, "version": 2,
                             "path": str(mounted)}}
    run = make_current_run(tmp_path, monkeypatch, inputs=inputs, outputs=("model",),
                           step="train")
    log = mocker.spy(run, "log")
    fake = mocker.patch.object(model, "train_model",
                               return_value=DummyRegressor().fit([[0]], [1.0]))
    run_step_main(train_file)
    assert len(fake.call_args.args[0]) == 331
    model_dir = tmp_path / "run" / "train" / "outputs" / "model"
    assert (model_dir / MODEL_FILE).is_file()
    info = json.loads((model_dir / INFO_FILE).read_text(encoding="utf-8"))
    assert info["training_data"] == {"train_data": f"{TRAINING}:2"}
    log.assert_called_once_with("training_rows", 331)
