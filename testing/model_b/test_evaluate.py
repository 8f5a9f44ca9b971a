"""model_b's evaluation: classification metrics for the model and the champion, the matrix."""
import json

import pytest
from testing_helpers import make_current_run, run_step_main

from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE

from model_b.script_steps import evaluate
from model_b.aml_pipeline import CONFIG

DATASET = "classification-digits-testing-01"
MODEL_NAME = load_model_config(CONFIG.folder).model_name


@pytest.fixture(name="run")
def fixture_run(tmp_path, model_dir, digit_folder, monkeypatch):
    """The current run: evaluation finds the champion in its workspace's registry."""
    run = make_current_run(tmp_path, monkeypatch, inputs={
        "model": {"type": "output", "path": str(model_dir)},
        "test_data": {"type": "file", "name": DATASET, "version": 1, "path": str(digit_folder)}},
        outputs=("model_score",), step="evaluate")
    yield run
    run.workspace.close()


def test_main_writes_the_summary_and_logs_metrics_and_the_confusion_matrix(run, tmp_path,
                                                                           mocker):
    log = mocker.spy(run, "log")
    run_step_main(evaluate)
    summary = json.loads((tmp_path / "run/evaluate/outputs/model_score" / SUMMARY_FILE)
                         .read_text(encoding="utf-8"))
    assert summary["register_trained_model"] is True  # an empty registry: no champion
    assert summary["primary_metric"] == "f1_macro"
    assert summary["test_data"] == {"test_data": f"{DATASET}:1"}
    assert {call.args[0] for call in log.call_args_list} >= {"accuracy", "recall_8",
                                                             "false_negative_rate_8"}
    image = tmp_path / "run/evaluate/images/confusion_matrix.png"
    assert image.read_bytes().startswith(b"\x89PNG")


def test_main_scores_the_champion_on_the_same_images(run, model_dir, mocker):
    run.workspace.models.register(MODEL_NAME, model_dir, "the champion", {}, {}, {})
    figure = mocker.spy(evaluate, "confusion_matrix_figure")
    run_step_main(evaluate)
    assert figure.call_args.args[3] is not None  # the champion's predictions, in a panel
    summary = json.loads((run.step_dir / "outputs/model_score" / SUMMARY_FILE).read_text("utf-8"))
    assert summary["register_trained_model"] is False
    assert "identical to the champion model_b:1" in summary["reason"]
