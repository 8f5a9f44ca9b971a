"""Run records: status, steps, metrics, images, tags, reuse look-ups, abandoned runs."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.local.runner_identity import (PID, PID_STARTED, process_started,
                                                          runner_identity)
from shared_code.amltoolbox.local.runs import RunNotFoundError, new_run_id
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.records import COMPLETED, FAILED, REUSED, RUNNING


@pytest.fixture(name="runs")
def fixture_runs(tmp_path):
    workspace = LocalWorkspace(tmp_path / "ws")
    yield workspace.runs
    workspace.close()


@pytest.fixture(name="dead_pid", scope="module")
def fixture_dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True)
    return int(process.stdout)


def test_run_ids_are_sortable_and_unique():
    ids = {new_run_id("model_a") for _ in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"model_a_\d{8}_\d{6}_[0-9a-f]{6}", i) for i in ids)


def test_a_run_and_its_steps_are_recorded_from_start_to_end(runs, tmp_path):
    run_id = runs.start_run("model_x", "exp", {"pid": os.getpid(), "commit": "abc"})
    assert runs.get(run_id).status == RUNNING
    runs.start_step(run_id, "train", "fp1")
    runs.end_step(run_id, "train", COMPLETED, 1.5, {"model": str(tmp_path)}, {"model": "h"})
    runs.start_step(run_id, "evaluate", "fp2")
    runs.end_step(run_id, "evaluate", FAILED, 0.5, error="bad column")
    runs.end_run(run_id, FAILED, "step 'evaluate' failed: bad column")
    run = runs.get(run_id)
    assert (run.model, run.experiment, run.status, run.error) == (
        "model_x", "exp", FAILED, "step 'evaluate' failed: bad column")
    assert run.properties["commit"] == "abc" and run.ended
    train, evaluate = run.steps
    assert (train.step, train.status, train.duration, train.fingerprint) == (
        "train", COMPLETED, 1.5, "fp1")
    assert (train.outputs, train.output_hashes) == ({"model": str(tmp_path)}, {"model": "h"})
    assert (evaluate.status, evaluate.error) == (FAILED, "bad column")
    assert run.as_dict()["steps"][0]["step"] == "train"
    assert runs.run_dir(run_id) / "train" == runs.step_dir(run_id, "train")


def test_metrics_logged_once_are_values_and_logged_again_are_series(runs):
    run_id = runs.start_run("model_x", "exp", {})
    runs.start_step(run_id, "train", None)
    runs.log_metric(run_id, "train", "rmse", 1.25)
    for loss in (3, 2, 1):
        runs.log_metric(run_id, "train", "loss", loss)
    runs.log_metric(run_id, "train", "note", "text")
    runs.log_metric(run_id, "ghost", "rmse", 9)  # a step never started is not shown
    assert runs.get(run_id).steps[0].metrics == {"rmse": 1.25, "loss": [3, 2, 1], "note": "text"}


def test_images_and_tags_belong_to_their_step(runs, tmp_path):
    run_id = runs.start_run("model_x", "exp", {})
    runs.start_step(run_id, "evaluate", None)
    runs.log_image(run_id, "evaluate", "plot", tmp_path / "plot.png")
    runs.tag(run_id, "evaluate", "reason", "better")
    runs.tag(run_id, "evaluate", "reason", "worse")  # a tag set again keeps the last value
    runs.tag(run_id, "evaluate", "empty", None)
    step = runs.get(run_id).steps[0]
    assert step.images == {"plot": str(tmp_path / "plot.png")}
    assert step.tags == {"reason": "worse", "empty": None}


def test_properties_added_later_join_those_the_run_started_with(runs):
    run_id = runs.start_run("m", "e", {"a": 1, "b": None})
    runs.add_properties(run_id, {"b": "known now"})
    assert runs.get(run_id).properties == {"a": 1, "b": "known now"}


def test_an_unknown_run_says_how_to_list_the_runs(runs):
    with pytest.raises(RunNotFoundError, match="no run 'nope'.*runs list"):
        runs.get("nope")


def test_runs_are_listed_newest_first_by_model_and_limited(runs):
    ids = [runs.start_run(model, "exp", {}) for model in ("model_x", "model_y", "model_x")]
    assert [r.id for r in runs.list()] == ids[::-1]
    assert [r.id for r in runs.list("model_x")] == [ids[2], ids[0]]
    assert len(runs.list(limit=1)) == 1


def _completed_step(runs, fingerprint, outputs, step="train"):
    """A completed step whose outputs' recorded hashes are their content's now."""
    run_id = runs.start_run("model_x", "exp", {})
    runs.start_step(run_id, step, fingerprint)
    hashes = {k: tree_sha256(Path(v)) if Path(v).is_dir() else "h" for k, v in outputs.items()}
    runs.end_step(run_id, step, COMPLETED, 1.0, outputs, hashes)
    return run_id


def test_a_completed_step_with_the_same_fingerprint_and_its_outputs_is_reusable(runs, tmp_path):
    (tmp_path / "out").mkdir()
    run_id = _completed_step(runs, "fp", {"model": str(tmp_path / "out")})
    found = runs.find_reusable("train", "fp")
    assert (found.run_id, found.outputs) == (run_id, {"model": str(tmp_path / "out")})


@pytest.mark.parametrize("step, fingerprint", [("train", "other"), ("evaluate", "fp")])
def test_another_fingerprint_or_step_is_not_reused(runs, tmp_path, step, fingerprint):
    (tmp_path / "out").mkdir()
    _completed_step(runs, "fp", {"model": str(tmp_path / "out")})
    assert runs.find_reusable(step, fingerprint) is None


def test_a_step_whose_outputs_changed_since_is_not_reused(runs, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "model.pkl").write_bytes(b"as trained")
    _completed_step(runs, "fp", {"model": str(tmp_path / "out")})
    (tmp_path / "out" / "model.pkl").write_bytes(b"edited by hand")
    assert runs.find_reusable("train", "fp") is None


def test_a_step_whose_outputs_were_deleted_or_that_did_not_complete_is_not_reused(
        runs, tmp_path):
    _completed_step(runs, "fp", {"model": str(tmp_path / "deleted")})
    run_id = runs.start_run("model_x", "exp", {})
    runs.start_step(run_id, "train", "fp")
    runs.end_step(run_id, "train", REUSED, 0.0, {"model": str(tmp_path)}, {"model": "h"})
    failed = runs.start_run("model_x", "exp", {})
    runs.start_step(failed, "train", "fp")
    runs.end_step(failed, "train", FAILED, 0.0, {"model": str(tmp_path)}, error="x")
    assert runs.find_reusable("train", "fp") is None


def test_a_runner_owned_by_another_user_counts_as_alive(runs):
    run_id = runs.start_run("model_x", "exp", {PID: 1, PID_STARTED: process_started(1)})
    assert not runs.fail_abandoned_runs()
    assert runs.get(run_id).status == RUNNING


def test_runs_left_running_by_a_dead_runner_are_failed_and_live_ones_kept(runs, dead_pid):
    abandoned = runs.start_run("model_x", "exp", {PID: dead_pid, PID_STARTED: "1"})
    runs.start_step(abandoned, "train", "fp")
    no_pid = runs.start_run("model_x", "exp", {})
    reused_pid = runs.start_run("model_x", "exp", {PID: os.getpid(), PID_STARTED: "earlier"})
    alive = runs.start_run("model_x", "exp", runner_identity())
    finished = runs.start_run("model_x", "exp", {PID: dead_pid, PID_STARTED: "1"})
    runs.end_run(finished, COMPLETED)
    assert sorted(runs.fail_abandoned_runs()) == sorted([abandoned, no_pid, reused_pid])
    run = runs.get(abandoned)
    assert (run.status, run.steps[0].status) == (FAILED, FAILED)
    assert "interrupted" in run.error and "interrupted" in run.steps[0].error
    assert runs.get(alive).status == RUNNING
    assert runs.get(finished).status == COMPLETED
    assert runs.fail_abandoned_runs() == []


def test_one_step_is_read_with_its_own_metrics_images_and_tags_alone(runs, tmp_path):
    run_id = runs.start_run("model_x", "exp", {})
    for step, value in (("train", 1.0), ("evaluate", 2.0)):
        runs.start_step(run_id, step, f"fp-{step}")
        runs.log_metric(run_id, step, "rmse", value)
        runs.log_image(run_id, step, "plot", tmp_path / f"{step}.png")
        runs.tag(run_id, step, "stage", step)
        runs.end_step(run_id, step, COMPLETED, 0.5)
    evaluate = runs.step(run_id, "evaluate")
    assert (evaluate.step, evaluate.status, evaluate.fingerprint) == ("evaluate", COMPLETED,
                                                                      "fp-evaluate")
    assert evaluate.metrics == {"rmse": 2.0} and evaluate.tags == {"stage": "evaluate"}
    assert evaluate.images == {"plot": str(tmp_path / "evaluate.png")}
    assert runs.get(run_id).steps[1] == evaluate
    with pytest.raises(RunNotFoundError, match="no step 'register' in run"):
        runs.step(run_id, "register")
