"""A small local workspace recorded through its own API, as the runner and the steps record
one: model_a's datasets (two small CSV files), a run whose evaluate step wrote summary.json and
a plot, and model_a:1 registered by it with its lineage."""
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from shared_code.amltoolbox.local.runs import COMPLETED
from shared_code.amltoolbox.local.runner_identity import runner_identity
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE

TRAINING, TESTING = "regression-diabetes-training-01", "regression-diabetes-testing-01"
COMMIT = "c0ffee" * 6 + "c0ff"
SUMMARY = {"register_trained_model": True, "primary_metric": "rmse",
           "reason": "rmse 55.2 beats the champion model_a:1's 60.1 (lower is better)",
           "metrics": {"rmse": 55.2, "mae": 43.8},
           "champion": {"id": "model_a:1", "sha256": "b" * 64,
                        "metrics": {"rmse": 60.1, "mae": 47.0}, "error": None},
           "baseline": {"description": "the training mean (154.3) for every row",
                        "metrics": {"rmse": 74.9, "mae": 65.5}},
           "rule": {"primary_metric": "rmse"}, "test_data": {"test_data": f"{TESTING}:1"}}


@dataclass(frozen=True)
class Recorded:
    """The workspace and what it holds."""
    root: Path
    run_id: str
    model_id: str
    training: str = f"{TRAINING}:1"
    testing: str = f"{TESTING}:1"
    commit: str = COMMIT


def record_model(root: Path, summary: dict | None = None, evaluated: bool = True,
                 lineage: bool = True) -> Recorded:
    """Register model_a:1 in a new workspace at `root` from a run that evaluated it with
    `summary` (SUMMARY when None); not `evaluated`: no summary.json; without `lineage`, no
    datasets are named (a model saved without model_info.json, tested on data its summary
    does not name)."""
    summary = (summary or SUMMARY) if evaluated else None
    workspace = LocalWorkspace(root)
    try:
        for name, rows in ((TRAINING, 3), (TESTING, 2)):
            data = root.parent / f"{name}.csv"
            data.write_text("age,bmi,target\n" + "".join(f"{i},{i + 20},{i * 10}\n"
                                                          for i in range(rows)), encoding="utf-8")
            workspace.datasets.register(name, "tabular", data, "Contacts: me@example.com")
        properties = {"azureml.git.commit": COMMIT, "azureml.git.dirty": "False",
                      **runner_identity()}
        run_id = workspace.runs.start_run("model_a", "model_a", properties)
        runs = workspace.runs
        runs.start_step(run_id, "evaluate", None)
        score = runs.step_dir(run_id, "evaluate") / "outputs" / "model_score"
        score.mkdir(parents=True)
        if summary is not None:
            (score / SUMMARY_FILE).write_text(json.dumps(summary), encoding="utf-8")
        image = runs.step_dir(run_id, "evaluate") / "images" / "predicted_vs_actual.png"
        image.parent.mkdir(parents=True)
        Image.new("RGB", (20, 10), (30, 120, 200)).save(image)
        runs.log_image(run_id, "evaluate", "predicted_vs_actual", image)
        runs.end_step(run_id, "evaluate", COMPLETED, 1.0, outputs={"model_score": str(score)})
        model = root.parent / "model"
        model.mkdir(exist_ok=True)
        (model / "model.pkl").write_bytes(b"a trained model")
        if lineage:
            (model / "model_info.json").write_text(json.dumps(
                {"features": ["age", "bmi"], "target": "target",
                 "training_data": {"train_data": f"{TRAINING}:1"}}), encoding="utf-8")
        record, _ = workspace.models.register(
            "model_a", model, "a test model", {"project": "test"}, {"rmse": 55.2},
            {**({"training_data": {"train_data": f"{TRAINING}:1"},
                 "testing_data": {"test_data": f"{TESTING}:1"}} if lineage else {}),
             "pipeline_run_id": run_id, "azureml.git.commit": COMMIT,
             "azureml.git.dirty": "False"}, run_id=run_id)
        runs.end_run(run_id, COMPLETED)
        return Recorded(root, run_id, record.id)
    finally:
        workspace.close()


@pytest.fixture(name="recorded")
def fixture_recorded(tmp_path) -> Recorded:
    """model_a:1 with everything a card quotes recorded."""
    return record_model(tmp_path / "workspace")


@pytest.fixture(name="record")
def fixture_record(tmp_path):
    """record_model(summary=..., lineage=...) into a new workspace of this test."""
    return lambda **kwargs: record_model(tmp_path / "workspace", **kwargs)


@pytest.fixture(name="summary")
def fixture_summary() -> dict:
    """The summary.json that `recorded`'s run wrote."""
    return json.loads(json.dumps(SUMMARY))
