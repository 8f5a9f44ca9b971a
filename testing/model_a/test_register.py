"""register.py: registers the trained model only when summary.json says so, with lineage."""
import json

import pytest
from testing_helpers import make_current_run, run_step_main

from model_a.aml_pipeline import CONFIG
from model_a.script_steps import register
from shared_code.amltoolbox.git_info import GIT_COMMIT
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_io import INFO_FILE
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE

TRAINING, TESTING = CONFIG.dataset("training").name, CONFIG.dataset("testing").name


@pytest.fixture(name="trained_model", scope="module")
def fixture_trained_model(model_a_workspace):
    """The folder of the model the session's real pipeline trained and registered."""
    workspace = LocalWorkspace(model_a_workspace)
    yield workspace.models.get(CONFIG.model_name, 1).path
    workspace.close()


def register_run(tmp_path, model_dir, register_it: bool, monkeypatch, mocker):
    """The run register's main() gets, with evaluate's summary.json saying `register_it`."""
    score = tmp_path / "model_score"
    score.mkdir()
    (score / SUMMARY_FILE).write_text(json.dumps({
        "register_trained_model": register_it, "reason": "the reason", "primary_metric": "rmse",
        "metrics": {"rmse": 55.0, "mae": 44.0, "r2": 0.45},
        "test_data": {"test_data": f"{TESTING}:1"}}), encoding="utf-8")
    inputs = {"model": {"type": "output", "path": str(model_dir)},
              "model_score": {"type": "output", "path": str(score)}}
    run = make_current_run(tmp_path, monkeypatch, inputs=inputs, step="register")
    mocker.patch.object(run, "get_properties", return_value={GIT_COMMIT: "c0ffee"})
    return run


def test_main_registers_the_model_with_its_lineage(tmp_path, trained_model, mocker,
                                                   monkeypatch):
    run = register_run(tmp_path, trained_model, True, monkeypatch, mocker)
    tag = mocker.spy(run, "tag")
    run_step_main(register)
    record = run.workspace.models.get(CONFIG.model_name)
    assert record.version == 1
    info = json.loads((trained_model / INFO_FILE).read_text(encoding="utf-8"))
    assert record.lineage == {"training_data": info["training_data"],
                              "testing_data": {"test_data": f"{TESTING}:1"},
                              "pipeline_run_id": "test_run", GIT_COMMIT: "c0ffee"}
    assert record.lineage["training_data"] == {"train_data": f"{TRAINING}:1"}
    assert record.tags["rmse"] == "55.0" and record.description == CONFIG.description
    tag.assert_called_once_with("registered_model", f"{CONFIG.model_name}:1")
    run.workspace.close()


def test_main_registers_nothing_when_the_summary_says_no(tmp_path, trained_model, mocker,
                                                         monkeypatch):
    run = register_run(tmp_path, trained_model, False, monkeypatch, mocker)
    tag = mocker.spy(run, "tag")
    run_step_main(register)
    assert run.workspace.models.list() == []
    tag.assert_called_once_with("not_registered", "the reason")
    run.workspace.close()
