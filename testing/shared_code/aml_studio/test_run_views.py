"""The runs pages' view models: what the list and a run's page show, from run records."""
import subprocess
import sys
from pathlib import Path

import pytest

from shared_code.amltoolbox.local.runs import RunNotFoundError
from shared_code.amltoolbox.local.runner_identity import PID, PID_STARTED, runner_identity
from shared_code.aml_studio.run_views import (RUNNER_GONE, metric, run_models, run_page,
                                              run_rows)
from shared_code.amltoolbox.records import COMPLETED, FAILED, REUSED, RUNNING


def test_the_list_is_newest_first_with_status_duration_and_outcome(opened, recorded):
    rows = run_rows(opened)
    assert [row.id for row in rows] == [recorded.running, recorded.failed, recorded.second,
                                        recorded.first]
    by_id = {row.id: row for row in rows}
    assert by_id[recorded.first].outcome == "registered model_a:1"
    assert by_id[recorded.second].outcome == "not registered: rmse 55.2 does not beat 50"
    assert by_id[recorded.failed].outcome == \
        f"not registered: step 'evaluate' failed: {recorded.failure}"
    assert by_id[recorded.running].outcome == "running"
    assert by_id[recorded.first].duration >= 0
    assert by_id[recorded.running].duration >= 0  # so far


@pytest.mark.parametrize("model, status, expected", [
    ("model_b", "", ["running"]),
    ("model_a", COMPLETED, ["second", "first"]),
    ("", FAILED, ["failed"]),
    ("model_b", COMPLETED, []),
])
def test_the_list_filters_by_model_and_status(opened, recorded, model, status, expected):
    assert [row.id for row in run_rows(opened, model, status)] == \
        [getattr(recorded, name) for name in expected]


def test_the_model_filter_offers_the_models_that_have_runs(opened):
    assert run_models(opened) == ["model_a", "model_b"]


def test_a_running_run_whose_runner_is_gone_shows_as_failed(opened):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    gone = {PID: int(finished.stdout), PID_STARTED: "the start time of an ended process"}
    run_id = opened.runs.start_run("model_c", "model_c", gone)
    (row,) = run_rows(opened, "model_c")
    assert (row.status, row.error) == (FAILED, RUNNER_GONE)
    assert opened.runs.get(run_id).status == RUNNING  # shown, never written
    opened.runs.start_run("model_d", "model_d", runner_identity())  # this process: alive
    assert run_rows(opened, "model_d")[0].status == RUNNING


def test_a_finished_runs_page_has_its_steps_metrics_images_and_summary(opened, recorded):
    page = run_page(opened, recorded.first)
    assert not page.running and page.row.status == COMPLETED
    assert [(s.name, s.status) for s in page.steps] == [
        ("train", COMPLETED), ("evaluate", COMPLETED), ("register", COMPLETED)]
    assert [(step, m.name, m.text) for step, m in page.metrics] == [
        ("train", "training_rows", "2"), ("evaluate", "mae", "43.8"),
        ("evaluate", "r2", "0.448"), ("evaluate", "rmse", "55.2")]
    (image,) = page.images
    assert image.relative == f"runs/{recorded.first}/evaluate/images/predicted_vs_actual.png"
    assert page.steps[0].log_tail == ["training on 2 rows"]
    assert page.properties["azureml.git.commit"].startswith("c0ffee")
    summary = page.summary
    assert (summary.step, summary.register, summary.champion_id) == ("evaluate", True, None)
    assert [(r.metric, r.trained, r.champion, r.primary) for r in summary.rows] == [
        ("mae", 43.8, None, False), ("r2", 0.448, None, False), ("rmse", 55.2, None, True)]


def test_the_summary_puts_the_champion_beside_the_trained_model(opened, recorded):
    summary = run_page(opened, recorded.second).summary
    assert (summary.register, summary.reason) == (False, "rmse 55.2 does not beat 50")
    assert summary.champion_id == "model_a:1"
    rmse = next(row for row in summary.rows if row.metric == "rmse")
    assert (rmse.trained, rmse.champion, rmse.primary) == (55.2, 50.0, True)
    assert rmse.trained_is_better is False  # lower is better, and 55.2 > 50
    assert all(row.trained_is_better is None for row in summary.rows if not row.primary)


def test_a_reused_step_shows_what_the_run_that_made_it_logged(opened, recorded):
    train = run_page(opened, recorded.second).steps[0]
    assert (train.status, train.reused_from) == (REUSED, recorded.first)
    assert [m.name for m in train.metrics] == ["training_rows"]
    assert (train.log_tail, train.log_run) == (["training on 2 rows"], recorded.first)


def test_a_failed_runs_page_shows_the_run_and_step_errors_and_the_log(opened, recorded):
    page = run_page(opened, recorded.failed)
    assert page.row.status == FAILED
    assert page.row.error == f"step 'evaluate' failed: {recorded.failure}"
    (step,) = page.steps
    assert (step.status, step.error, step.log_tail[-1]) == (
        FAILED, recorded.failure, recorded.failure)
    assert page.summary is None and page.metrics == []


def test_a_running_runs_page_says_it_is_running(opened, recorded):
    page = run_page(opened, recorded.running)
    assert page.running and page.steps[0].status == RUNNING and page.steps[0].log_tail is None


def test_an_image_recorded_outside_the_workspace_is_not_offered(opened, recorded, tmp_path):
    opened.runs.log_image(recorded.first, "evaluate", "elsewhere", tmp_path / "elsewhere.png")
    images = {image.name: image for image in run_page(opened, recorded.first).images}
    assert images["elsewhere"].relative is None
    assert images["predicted_vs_actual"].relative is not None


def test_a_summary_json_that_cannot_be_trusted_is_shown_as_a_problem(opened, recorded):
    step = next(s for s in opened.runs.get(recorded.first).steps if s.step == "evaluate")
    Path(step.outputs["model_score"], "summary.json").write_text(
        '{"register_trained_model": "yes"}', encoding="utf-8")
    summary = run_page(opened, recorded.first).summary
    assert "'register_trained_model' must be true or false" in summary.problem


def test_a_summary_json_with_only_the_flag_is_shown_saying_it_gives_no_reason(opened, recorded):
    step = next(s for s in opened.runs.get(recorded.first).steps if s.step == "evaluate")
    Path(step.outputs["model_score"], "summary.json").write_text(
        '{"register_trained_model": true}', encoding="utf-8")
    summary = run_page(opened, recorded.first).summary
    assert summary.problem is None and summary.register is True
    assert summary.reason == "summary.json gives no reason" and summary.rows == []


def test_an_unknown_run_says_how_to_list_the_runs(opened):
    with pytest.raises(RunNotFoundError, match="runs list"):
        run_page(opened, "model_a_nope")


@pytest.mark.parametrize("value, text, exact", [
    (55.243973660849825, "55.24", "55.243973660849825"), (331, "331", "331"),
    ("n/a", "n/a", "n/a"), ([1, 2], "[1, 2]", "[1, 2]"), (True, "True", "True")])
def test_a_metric_is_shown_to_4_significant_digits_and_in_full(value, text, exact):
    shown = metric("m", value)
    assert (shown.text, shown.exact) == (text, exact)
