"""Every model's register.py: registers the trained model only when summary.json says so,
under the name, description and tags it gives, with the lineage the toolbox records."""
import importlib
import json

import pytest
from testing_helpers import make_current_run, run_step_main

from shared_code.amltoolbox.git_info import GIT_COMMIT
from shared_code.amltoolbox.model_io import INFO_FILE
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE

METRIC_VALUE, OTHER_METRIC = 0.5, ("another_metric", 0.25)


@pytest.fixture(name="register")
def fixture_register(model):
    """The model's register step."""
    return importlib.import_module(f"{model}.script_steps.register")


def register_run(tmp_path, pipeline, record, register_it: bool, monkeypatch, mocker):
    """The run register's main() gets: the session's trained model, and evaluate's
    summary.json saying `register_it`."""
    config = pipeline.CONFIG
    score = tmp_path / "model_score"
    score.mkdir()
    metric = config.evaluation.primary_metric
    (score / SUMMARY_FILE).write_text(json.dumps({
        "register_trained_model": register_it, "reason": "the reason", "primary_metric": metric,
        "metrics": {metric: METRIC_VALUE, OTHER_METRIC[0]: OTHER_METRIC[1]},
        "test_data": {"test_data": f"{config.dataset('testing').name}:1"}}), encoding="utf-8")
    inputs = {"model": {"type": "output", "path": str(record.path)},
              "model_score": {"type": "output", "path": str(score)}}
    run = make_current_run(tmp_path, monkeypatch, inputs=inputs, step="register")
    mocker.patch.object(run, "get_properties", return_value={GIT_COMMIT: "c0ffee"})
    return run


def test_main_registers_the_model_with_its_names_tags_metrics_and_lineage(
        tmp_path, pipeline, register, record, mocker, monkeypatch):
    config = pipeline.CONFIG
    run = register_run(tmp_path, pipeline, record, True, monkeypatch, mocker)
    tag = mocker.spy(run, "tag")
    run_step_main(register)
    registered = run.workspace.models.get(config.model_name)
    assert registered.version == 1
    info = json.loads((record.path / INFO_FILE).read_text(encoding="utf-8"))
    testing = f"{config.dataset('testing').name}:1"
    assert registered.lineage == {"training_data": info["training_data"],
                                  "testing_data": {"test_data": testing},
                                  "pipeline_run_id": "test_run", GIT_COMMIT: "c0ffee"}
    assert registered.lineage["training_data"] == {
        "train_data": f"{config.dataset('training').name}:1"}
    metric = config.evaluation.primary_metric
    assert registered.tags[metric] == str(METRIC_VALUE)
    assert registered.properties[metric] == METRIC_VALUE
    assert registered.properties[OTHER_METRIC[0]] == OTHER_METRIC[1]
    assert config.tags.items() <= registered.tags.items()
    assert registered.description == config.description
    tag.assert_called_once_with("registered_model", f"{config.model_name}:1")
    run.workspace.close()


def test_main_registers_nothing_when_the_summary_says_no(tmp_path, pipeline, register, record,
                                                         mocker, monkeypatch):
    run = register_run(tmp_path, pipeline, record, False, monkeypatch, mocker)
    tag = mocker.spy(run, "tag")
    run_step_main(register)
    assert run.workspace.models.list() == []
    tag.assert_called_once_with("not_registered", "the reason")
    run.workspace.close()
