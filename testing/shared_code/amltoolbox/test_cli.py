"""python -m shared_code.amltoolbox: run, models, runs, datasets; --help everywhere."""
import argparse
import json
import re
import subprocess
import sys

import pytest
from testing_helpers import run_cli

from shared_code.amltoolbox.cli.main import build_parser
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.records import COMPLETED, FAILED, RunResult, StepResult

DESCRIPTION = ["--data-source", "made by a test", "--content", "two rows",
               "--original-purpose", "testing", "--contacts", "me@example.com"]


@pytest.fixture(name="trained")
def fixture_trained(model_a_workspace, monkeypatch):
    """The session's workspace where model_a was trained and registered once."""
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(model_a_workspace))


def _command_paths(parser, prefix=()):
    """Every command and subcommand of the parser, e.g. (), ('models',), ('models', 'list')."""
    yield prefix
    # argparse lists subcommands only in its private _actions.
    for action in parser._actions:  # pylint: disable=protected-access
        if isinstance(action, argparse._SubParsersAction):  # pylint: disable=protected-access
            for name, subparser in action.choices.items():
                yield from _command_paths(subparser, (*prefix, name))


COMMAND_PATHS = list(_command_paths(build_parser()))


def test_the_commands_the_standard_asks_for_exist():
    assert {("run",), ("models", "list"), ("models", "show"), ("runs", "list"),
            ("runs", "show"), ("datasets", "list"), ("datasets", "register")} <= set(COMMAND_PATHS)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "(top)")
def test_every_command_has_help(capsys, path):
    code, out, _ = run_cli(capsys, *path, "--help")
    assert code == 0
    assert out.startswith("usage: python -m shared_code.amltoolbox")
    assert len(out.splitlines()) > 2


@pytest.mark.usefixtures("trained")
def test_models_list_shows_the_registered_model(capsys):
    code, out, _ = run_cli(capsys, "models", "list")
    header, row = out.splitlines()
    assert code == 0 and header.split()[:2] == ["NAME", "VERSION"]
    assert row.split()[:2] == ["model_a", "1"] and "project=diabetes" in row


@pytest.mark.usefixtures("trained")
def test_models_list_json_has_the_fields_ci_reads(capsys):
    code, out, _ = run_cli(capsys, "models", "list", "--json")
    [model] = json.loads(out)
    assert code == 0
    assert (model["name"], model["version"]) == ("model_a", 1)
    assert re.fullmatch(r"[0-9a-f]{64}", model["sha256"])
    assert model["tags"]["modeltype"] == "regression" and model["created"]


@pytest.mark.usefixtures("trained")
def test_models_list_of_an_unregistered_name_says_how_to_make_one(capsys):
    code, out, _ = run_cli(capsys, "models", "list", "--name", "model_zz")
    assert code == 0 and "no registered models" in out and "tox -e pipeline" in out


@pytest.mark.usefixtures("trained")
def test_models_show_prints_tags_properties_and_lineage(capsys):
    code, out, _ = run_cli(capsys, "models", "show", "model_a", "--version", "1")
    assert code == 0 and out.startswith("model_a:1  registered ")
    for expected in ("sha256:", "tags:", "properties:", "lineage:",
                     "training_data: {'train_data': 'regression-diabetes-training-01:1'}",
                     "pipeline_run_id:"):
        assert expected in out
    code, out, _ = run_cli(capsys, "models", "show", "model_a", "--json")
    assert code == 0 and json.loads(out)["lineage"]["testing_data"] == {
        "test_data": "regression-diabetes-testing-01:1"}


@pytest.mark.parametrize("argv, message", [
    (("models", "show", "model_zz"), "no model 'model_zz'"),
    (("models", "show", "model_a", "--version", "9"), "no version 9 of model 'model_a'"),
    (("runs", "show", "nope"), "no run 'nope'"),
    (("run", "model_zz"), "'model_zz' is not a model folder"),
])
@pytest.mark.usefixtures("trained")
def test_a_user_error_is_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and message in err


def test_a_usage_error_exits_2_naming_the_problem(capsys):
    code, _, err = run_cli(capsys, "models", "show", "model_a", "--version", "latest")
    assert code == 2 and "'latest' is not a version number" in err.splitlines()[-1]


def _first_run_id(capsys) -> str:
    _, out, _ = run_cli(capsys, "runs", "list", "--model", "model_a", "--json")
    return json.loads(out)[-1]["id"]


@pytest.mark.usefixtures("trained")
def test_runs_list_shows_the_pipeline_run(capsys):
    code, out, _ = run_cli(capsys, "runs", "list")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["RUN", "ID", "MODEL"]
    assert any(line.split()[2:3] == [COMPLETED] for line in out.splitlines()[1:])
    assert json.loads(run_cli(capsys, "runs", "list", "--limit", "1", "--json")[1])[0]["id"]


@pytest.mark.usefixtures("trained")
def test_runs_show_prints_each_step_with_its_metrics(capsys):
    run_id = _first_run_id(capsys)
    code, out, _ = run_cli(capsys, "runs", "show", run_id)
    assert code == 0 and out.startswith(f"{run_id}  {COMPLETED}  model model_a")
    for expected in ("step train: Completed in", "step evaluate: Completed in",
                     "step register: Completed in", "metric rmse:", "tag registered_model: "
                     "model_a:1", "image predicted_vs_actual:", "output model:"):
        assert expected in out
    code, out, _ = run_cli(capsys, "runs", "show", run_id, "--json")
    assert [s["step"] for s in json.loads(out)["steps"]] == ["train", "evaluate", "register"]


def test_runs_show_prints_a_failed_runs_error(capsys, workspace_dir):
    workspace = LocalWorkspace(workspace_dir)
    run_id = workspace.runs.start_run("model_a", "model_a", {})
    workspace.runs.start_step(run_id, "train", None)
    workspace.runs.end_step(run_id, "train", FAILED, 0.5, error="column 'bmi' is missing")
    workspace.runs.end_run(run_id, FAILED, "step 'train' failed: column 'bmi' is missing")
    workspace.close()
    _, out, _ = run_cli(capsys, "runs", "show", run_id)
    assert "  error: step 'train' failed: column 'bmi' is missing" in out
    assert "    error: column 'bmi' is missing" in out
    _, out, _ = run_cli(capsys, "runs", "list")
    assert FAILED in out and "column 'bmi' is missing" in out


@pytest.mark.usefixtures("trained")
def test_datasets_list_shows_both_datasets(capsys):
    code, out, _ = run_cli(capsys, "datasets", "list")
    assert code == 0 and "regression-diabetes-training-01" in out
    names = [d["name"] for d in json.loads(run_cli(capsys, "datasets", "list", "--json")[1])]
    assert names == ["regression-diabetes-testing-01", "regression-diabetes-training-01"]


@pytest.mark.parametrize("argv, expected", [
    (("models", "list"), "no registered models"), (("runs", "list"), "no runs yet"),
    (("datasets", "list"), "no registered datasets")])
@pytest.mark.usefixtures("workspace_dir")
def test_an_empty_workspace_says_how_to_fill_it(capsys, argv, expected):
    assert expected in run_cli(capsys, *argv)[1]


@pytest.mark.usefixtures("workspace_dir")
def test_datasets_register_makes_a_version_once_per_content(capsys, tmp_path):
    (tmp_path / "d.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    argv = ["datasets", "register", "regression-cli-training-01", "--type", "tabular",
            "--path", str(tmp_path / "d.csv"), *DESCRIPTION, "--tag", "usage=training"]
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0 and out == "registered regression-cli-training-01:1 (tabular, 1 files)\n"
    code, out, _ = run_cli(capsys, *argv)
    assert out.startswith("unchanged, already registered as regression-cli-training-01:1")
    [dataset] = json.loads(run_cli(capsys, "datasets", "list", "--json")[1])
    assert dataset["tags"] == {"usage": "training"}
    assert "Contacts: me@example.com" in dataset["description"]


@pytest.mark.parametrize("name, extra, message", [
    ("training", [], "does not follow the standard's convention"),
    ("regression-cli-training-01", ["--tag", "nokey"], "tag 'nokey' is not KEY=VALUE"),
])
def test_datasets_register_refuses_bad_input_in_one_line(capsys, workspace_dir, tmp_path, name,
                                                          extra, message):
    (tmp_path / "d.csv").write_text("x\n1\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "datasets", "register", name, "--type", "tabular",
                       "--path", str(tmp_path / "d.csv"), *DESCRIPTION, *extra)
    assert code == 2 and len(err.splitlines()) == 1 and message in err
    assert not (workspace_dir / "datasets").exists()


@pytest.mark.usefixtures("workspace_dir")
def test_datasets_register_refuses_a_missing_path(capsys, tmp_path):
    code, _, err = run_cli(capsys, "datasets", "register", "regression-cli-training-01", "--type",
                       "file", "--path", str(tmp_path / "nothing"), *DESCRIPTION)
    assert code == 2 and "does not exist: give the file, or the folder" in err


@pytest.mark.parametrize("argv, reuse", [(("run", "model_a"), True),
                                         (("run", "model_a", "--no-reuse"), False)])
def test_run_runs_the_pipeline_and_prints_its_outcome(capsys, mocker, argv, reuse):
    runner = mocker.patch("shared_code.amltoolbox.cli.local_target.LocalPipelineRunner")
    runner.return_value.run.return_value = RunResult("r1", COMPLETED, [StepResult(
        "register", COMPLETED, 0.1, tags={"registered_model": "model_a:3"})])
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0 and out.endswith("run r1: Completed; registered model_a:3\n")
    assert runner.call_args.kwargs["reuse"] is reuse


def test_run_exits_1_when_the_pipeline_fails(capsys, mocker):
    runner = mocker.patch("shared_code.amltoolbox.cli.local_target.LocalPipelineRunner")
    runner.return_value.run.return_value = RunResult("r1", FAILED, [], "step 'train' failed")
    code, out, _ = run_cli(capsys, "run", "model_a")
    assert code == 1 and "run r1: Failed; nothing registered: step 'train' failed" in out


def test_a_run_whose_runner_died_is_listed_as_failed_not_running(capsys, workspace_dir):
    workspace = LocalWorkspace(workspace_dir)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    run_id = workspace.runs.start_run("model_a", "model_a", {"pid": int(dead)})
    workspace.close()
    _, out, _ = run_cli(capsys, "runs", "list")
    assert f"{run_id}  model_a  {FAILED}" in out and "interrupted" in out
