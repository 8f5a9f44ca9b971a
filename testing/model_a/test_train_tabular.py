"""train_tabular.py: an XGBoost regressor from the Tabular dataset train_data."""
import json

import pytest
from sklearn.dummy import DummyRegressor
from testing_helpers import load_samples, make_current_run, run_step_main

from model_a import model
from model_a.aml_pipeline import CONFIG
from model_a.script_steps import train_tabular
from shared_code.amltoolbox.model_io import INFO_FILE, MODEL_FILE, load_model
from shared_code.amltoolbox.errors import DataError

TABLES = load_samples(__file__, "samples_tables")

FEATURES, TARGET = CONFIG.training["features"], CONFIG.training["target"]
TRAINING = CONFIG.dataset("training").name


@pytest.fixture(name="training_frame", scope="module")
def fixture_training_frame():
    return TABLES.training_table()


def tabular_run(tmp_path, frame, monkeypatch):
    """The run train's main() gets, whose train_data is `frame`, registered as version 1."""
    (tmp_path / "train_data").mkdir()
    frame.to_csv(tmp_path / "train_data" / "part.csv", index=False)
    inputs = {"train_data": {"type": "tabular", "name": TRAINING, "version": 1,
                             "path": str(tmp_path / "train_data")}}
    return make_current_run(tmp_path, monkeypatch, inputs=inputs, outputs=("model",),
                            step="train")


def test_main_trains_on_train_data_and_saves_the_model_output(tmp_path, training_frame, mocker,
                                                              monkeypatch):
    run = tabular_run(tmp_path, training_frame, monkeypatch)
    log = mocker.spy(run, "log")
    fake = mocker.patch.object(model, "train_model",
                               return_value=DummyRegressor().fit([[0]], [1.0]))
    run_step_main(train_tabular)
    trained_on = fake.call_args.args[0]
    assert list(trained_on.columns) == [*FEATURES, TARGET] and len(trained_on) == 331
    model_dir = tmp_path / "run" / "train" / "outputs" / "model"
    assert (model_dir / MODEL_FILE).is_file()
    info = json.loads((model_dir / INFO_FILE).read_text(encoding="utf-8"))
    assert info["training_data"] == {"train_data": f"{TRAINING}:1"}
    assert isinstance(load_model(model_dir)[0], DummyRegressor)
    log.assert_called_once_with("training_rows", 331)


def test_main_refuses_bad_data_naming_the_dataset_and_version(tmp_path, training_frame, mocker,
                                                              monkeypatch):
    tabular_run(tmp_path, training_frame.drop(columns=[FEATURES[0]]), monkeypatch)
    fit = mocker.patch.object(model, "train_model")
    with pytest.raises(DataError, match=f"dataset '{TRAINING}' version 1 is missing the column"
                                        f".*'{FEATURES[0]}'"):
        run_step_main(train_tabular)
    fit.assert_not_called()
