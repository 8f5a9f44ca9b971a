"""A small local workspace recorded through its own API, as the runner and the steps record
one: datasets, a completed run that registered model_a:1, a second run that reused train
and kept the champion, a failed run, and a run still going."""
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.local.runner import LOG_FILE
from shared_code.amltoolbox.local.runner_identity import runner_identity
from shared_code.amltoolbox.promotion.registration import NOT_REGISTERED_TAG, REGISTERED_TAG
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE
from shared_code.amltoolbox.records import COMPLETED, FAILED, REUSED

TRAINING, TESTING = "regression-test-training-01", "regression-test-testing-01"
DESCRIPTION = ("Data source: made by a test\nContent: two rows\nOriginal purpose: testing the "
               "studio\nContacts: me@example.com")
FAILURE = "column 'bmi' is missing from dataset 'regression-test-testing-01' version 1"


@dataclass(frozen=True)
class Recorded:
    """The workspace and the ids of what it holds."""
    root: Path
    first: str      # Completed, registered model_a:1
    second: str     # Completed, train reused from `first`, the champion kept
    failed: str     # Failed in evaluate
    running: str    # Running, its runner (this process) alive
    failure: str = FAILURE  # the failed step's error


def write_png(path: Path, size=(40, 30)) -> Path:
    """A small real PNG image."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (30, 120, 200)).save(path)
    return path


def _summary(champion: dict | None, register: bool, reason: str) -> dict:
    return {"register_trained_model": register, "reason": reason, "primary_metric": "rmse",
            "metrics": {"mae": 43.8, "r2": 0.448, "rmse": 55.2}, "champion": champion,
            "rule": {"primary_metric": "rmse", "greater_is_better": False,
                     "min_improvement": 0.0},
            "trained_model_sha256": "a" * 64, "test_data": {"test_data": f"{TESTING}:1"}}


def _step(workspace, run_id, step, status=COMPLETED, log="", **ended):
    runs = workspace.runs
    runs.start_step(run_id, step, f"fingerprint-{step}")
    step_dir = runs.step_dir(run_id, step)
    step_dir.mkdir(parents=True, exist_ok=True)
    (step_dir / LOG_FILE).write_text(log, encoding="utf-8")
    runs.end_step(run_id, step, status, 1.25, **ended)
    return step_dir


def _evaluate(workspace, run_id, summary: dict) -> None:
    runs = workspace.runs
    score = workspace.runs.step_dir(run_id, "evaluate") / "outputs" / "model_score"
    score.mkdir(parents=True)
    (score / SUMMARY_FILE).write_text(json.dumps(summary), encoding="utf-8")
    _step(workspace, run_id, "evaluate", log="scored\nregister_trained_model=...\n",
          outputs={"model_score": str(score)}, output_hashes={"model_score": "s"})
    for name, value in summary["metrics"].items():
        runs.log_metric(run_id, "evaluate", name, value)
    image = write_png(runs.step_dir(run_id, "evaluate") / "images" / "predicted_vs_actual.png")
    runs.log_image(run_id, "evaluate", "predicted_vs_actual", image)
    runs.tag(run_id, "evaluate", "reason", summary["reason"])


def record_workspace(root: Path) -> Recorded:
    """Write the records (see the module's docstring) into a new workspace at `root`."""
    workspace = LocalWorkspace(root)
    try:
        data = root.parent / "data.csv"
        data.write_text("bmi,target\n1,2\n3,4\n", encoding="utf-8")
        for name in (TRAINING, TESTING):
            workspace.datasets.register(name, "tabular", data, DESCRIPTION, {"usage": "test"})
        runs = workspace.runs
        properties = {"azureml.git.commit": "c0ffee" * 6 + "c0ff", "azureml.git.dirty": "False",
                      **runner_identity()}

        first = runs.start_run("model_a", "model_a", properties)
        model = root.parent / "model"
        model.mkdir()
        (model / "model.pkl").write_bytes(b"a trained model")
        _step(workspace, first, "train", log="training on 2 rows\n",
              outputs={"model": str(model)}, output_hashes={"model": "m"})
        runs.log_metric(first, "train", "training_rows", 2)
        _evaluate(workspace, first, _summary(None, True, "no registered model yet"))
        record, _ = workspace.models.register(
            "model_a", model, "a test model", {"project": "test"},
            {"rmse": 55.2, "mae": 43.8, "sha256": "x"},
            {"training_data": {"train_data": f"{TRAINING}:1"},
             "testing_data": {"test_data": f"{TESTING}:1"}, "pipeline_run_id": first,
             **properties}, run_id=first)
        _step(workspace, first, "register", log="registered\n")
        runs.tag(first, "register", REGISTERED_TAG, record.id)
        runs.end_run(first, COMPLETED)

        second = runs.start_run("model_a", "model_a", properties)
        runs.start_step(second, "train", "fingerprint-train")
        runs.end_step(second, "train", REUSED, 0.01, {"model": str(model)}, {"model": "m"},
                      reused_from=first)
        champion = {"id": record.id, "sha256": record.sha256,
                    "metrics": {"mae": 40.0, "r2": 0.5, "rmse": 50.0}, "error": None}
        _evaluate(workspace, second, _summary(champion, False, "rmse 55.2 does not beat 50"))
        _step(workspace, second, "register")
        runs.tag(second, "register", NOT_REGISTERED_TAG, "rmse 55.2 does not beat 50")
        runs.end_run(second, COMPLETED)

        failed = runs.start_run("model_a", "model_a", properties)
        _step(workspace, failed, "evaluate", FAILED, log=f"Traceback ...\n{FAILURE}\n",
              error=FAILURE)
        runs.end_run(failed, FAILED, f"step 'evaluate' failed: {FAILURE}")

        running = runs.start_run("model_b", "model_b", runner_identity())
        runs.start_step(running, "train", "fingerprint-train")
        return Recorded(root, first, second, failed, running)
    finally:
        workspace.close()


@pytest.fixture(name="recorded")
def fixture_recorded(tmp_path) -> Recorded:
    """A workspace holding the records of record_workspace."""
    return record_workspace(tmp_path / "workspace")


@pytest.fixture(name="opened")
def fixture_opened(recorded):
    """The recorded workspace, opened."""
    workspace = LocalWorkspace(recorded.root)
    yield workspace
    workspace.close()
