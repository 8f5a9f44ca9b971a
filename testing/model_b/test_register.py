"""model_b's register step: obeys summary.json, registers under model_b's names."""
import json

import pytest
from testing_helpers import make_current_run, run_step_main

from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE

from model_b.aml_pipeline import CONFIG
from model_b.script_steps import register


@pytest.fixture(name="run")
def fixture_run(tmp_path, model_dir, monkeypatch):
    score = tmp_path / "score"
    score.mkdir()
    run = make_current_run(tmp_path, monkeypatch,
                           inputs={"model": {"type": "output", "path": str(model_dir)},
                                   "model_score": {"type": "output", "path": str(score)}},
                           step="register")
    yield run
    run.workspace.close()


def write_summary(run, register_trained_model: bool) -> None:
    """evaluate's summary.json, in the folder the run reads as model_score."""
    (run.step_dir.parent.parent / "score" / SUMMARY_FILE).write_text(json.dumps({
        "register_trained_model": register_trained_model, "reason": "the test says so",
        "primary_metric": "f1_macro", "metrics": {"f1_macro": 0.9, "accuracy": 0.91},
        "test_data": {"test_data": "classification-digits-testing-01:1"}}), encoding="utf-8")


def test_a_yes_registers_model_b_with_its_tags_and_metrics(run):
    write_summary(run, True)
    run_step_main(register)
    [record] = run.workspace.models.list()
    assert record.id == f"{CONFIG.model_name}:1"
    assert record.tags["modeltype"] == "classification" and record.tags["f1_macro"] == "0.9"
    assert record.properties["accuracy"] == 0.91


def test_a_no_registers_nothing(run):
    write_summary(run, False)
    run_step_main(register)
    assert run.workspace.models.list() == []
