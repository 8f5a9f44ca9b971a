"""drift MODEL[:VERSION]: the table, --json, the exit status, the run it records and the
verdict shown beside the version."""
import json
from pathlib import Path

import pandas as pd
import pytest
from testing_helpers import run_cli

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.model_monitoring.drift_run import DRIFT_EXPERIMENT, REPORT_FILE


@pytest.fixture(name="data")
def fixture_data(recorded, monkeypatch, tmp_path):
    """recorded's workspace set as $AML_LOCAL_WORKSPACE; a CSV like its training data, and
    one with age shifted far."""
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(recorded.root))
    same = tmp_path / "same.csv"
    pd.DataFrame({"age": [0, 1, 2], "bmi": [20, 21, 22]}).to_csv(same, index=False)
    shifted = tmp_path / "shifted.csv"
    pd.DataFrame({"age": [50] * 30, "bmi": [20, 21, 22] * 10}).to_csv(shifted, index=False)
    return {"same": str(same), "shifted": str(shifted), "root": recorded.root}


def test_no_drift_exits_0_with_a_table_and_the_run(data, capsys):
    status, out, _ = run_cli(capsys, "drift", "model_a", "--input", data["same"])
    assert status == 0
    assert out.splitlines()[1].split() == ["FEATURE", "DRIFT", "PSI", "KS", "KS", "P", "MISSING",
                                           "OUT", "OF", "RANGE", "WHY"]
    assert "no drift: none of 2 features drifted; run model_a_" in out


def test_drift_exits_1_names_the_feature_and_is_shown_beside_the_version(data, capsys):
    status, out, _ = run_cli(capsys, "drift", "model_a:1", "--input", data["shifted"], "--json")
    report = json.loads(out)
    assert status == 1 and report["verdict"] == "drift"
    assert report["drifted_features"] == ["age"]
    workspace = LocalWorkspace(data["root"])
    run = workspace.runs.get(report["run_id"])
    workspace.close()
    assert (run.experiment, run.status) == (DRIFT_EXPERIMENT, "Completed")
    (step,) = run.steps
    assert step.tags["verdict"] == "drift" and list(step.images) == ["drift_age"]
    (output,) = step.outputs.values()
    saved = json.loads((Path(output) / REPORT_FILE).read_text(encoding="utf-8"))
    assert saved["drifted_features"] == ["age"]
    status, out, _ = run_cli(capsys, "models", "show", "model_a")
    assert "latest drift check: drift (" in out and report["run_id"] in out


def test_the_latest_check_is_the_one_shown(data, capsys):
    run_cli(capsys, "drift", "model_a", "--input", data["shifted"])
    run_cli(capsys, "drift", "model_a", "--input", data["same"])
    _, out, _ = run_cli(capsys, "models", "show", "model_a", "--json")
    (check,) = json.loads(out)["checks"]
    assert (check["kind"], check["verdict"]) == ("drift", "no drift")


def test_plots_of_drifted_features_are_copied_where_asked(data, capsys, tmp_path):
    status, _, _ = run_cli(capsys, "drift", "model_a", "--input", data["shifted"], "--plots",
                           str(tmp_path / "plots"))
    assert status == 1 and [p.name for p in (tmp_path / "plots").iterdir()] == ["drift_age.png"]


@pytest.mark.parametrize("argv,message", [
    (["model_a", "--input", "/no/such/file.csv"], "does not exist"),
    (["model_a", "--dataset", "nothing-registered-here-01"], "is not registered"),
    (["model_z", "--input", "."], "no model 'model_z'"),
])
@pytest.mark.usefixtures("data")
def test_bad_input_exits_2_saying_what_was_wrong(capsys, argv, message):
    status, _, err = run_cli(capsys, "drift", *argv)
    assert status == 2 and message in err


def test_a_check_that_fails_on_its_data_is_recorded_as_a_failed_run(data, capsys, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    status, _, err = run_cli(capsys, "drift", "model_a", "--input", str(empty))
    assert status == 2 and "is empty" in err
    workspace = LocalWorkspace(data["root"])
    (latest,) = workspace.runs.list("model_a", limit=1)
    workspace.close()
    assert (latest.experiment, latest.status) == (DRIFT_EXPERIMENT, "Failed")


def test_a_model_without_a_recorded_training_dataset_cannot_be_checked(record, monkeypatch,
                                                                      capsys, tmp_path):
    recorded = record(lineage=False)
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(recorded.root))
    status, _, err = run_cli(capsys, "drift", "model_a", "--input", str(tmp_path))
    assert status == 2 and "records no training dataset" in err
