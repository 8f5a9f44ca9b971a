"""A damaged workspace: one line naming the file and what to do, on every command; and
`workspace check`, which lists what is wrong and exits non-zero when anything is."""
import json
import os
import re

import pytest
from testing_helpers import run_cli
from workspace_damage import INDEX_DAMAGE, damaged_index, workspace_with_a_model

from shared_code.amltoolbox.local.runner_identity import PID, PID_STARTED
from shared_code.amltoolbox.local.store import INDEX_FILE
from shared_code.amltoolbox.local.workspace import LocalWorkspace

COMMANDS = (("models", "list"), ("models", "show", "model_a"), ("runs", "list"),
            ("datasets", "list"), ("workspace", "check"), ("run", "model_a"))
WHAT_TO_DO = {"truncated": "is damaged", "garbage": "is not a SQLite database",
              "zero-length": "is empty, but", "missing": "is missing, but",
              "read-only": "is read-only"}


@pytest.fixture(name="root")
def fixture_root(workspace_dir, tmp_path):
    """$AML_LOCAL_WORKSPACE, holding model_a:1."""
    return workspace_with_a_model(workspace_dir, tmp_path / "artifact")


@pytest.mark.parametrize("damage", INDEX_DAMAGE)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_damaged_index_gets_one_line_naming_it_and_what_to_do(capsys, root, damage, command,
                                                                mocker):
    runner = mocker.patch("shared_code.amltoolbox.cli.local_target.LocalPipelineRunner."
                          "_execute")  # a run that got past the index would start a step
    with damaged_index(root, damage):
        code, out, err = run_cli(capsys, *command)
    assert code == 2 and out == ""
    [line] = err.splitlines()
    assert line.startswith("error: ") and WHAT_TO_DO[damage] in line
    assert str(root) in line and ("chmod" in line or "backup" in line)
    runner.assert_not_called()


@pytest.mark.parametrize("damage", ["zero-length", "missing"])
def test_a_lost_index_is_never_replaced_by_a_new_one_over_the_models(capsys, root, damage):
    with damaged_index(root, damage) as index:
        run_cli(capsys, "models", "list")
        assert not index.exists() or index.stat().st_size == 0
    assert (root / "models" / "model_a" / "1" / "model.pkl").is_file()


def test_a_new_workspace_is_still_made_where_nothing_was_registered(capsys, workspace_dir):
    workspace_dir.mkdir()
    (workspace_dir / INDEX_FILE).write_bytes(b"")  # as a crash between creating and setting up
    code, out, _ = run_cli(capsys, "models", "list")
    assert code == 0 and "no registered models" in out


def test_a_sound_workspace_checks_ok(capsys, root):
    code, out, _ = run_cli(capsys, "workspace", "check")
    assert code == 0
    assert out.strip() == (f"workspace {root}: ok (index, 1 model versions, 0 dataset "
                           "versions, runs)")


@pytest.mark.parametrize("damage, problem", [
    ("delete", "model model_a:1's registered files are missing"),
    ("change", "model model_a:1's files in .* were changed after registration"),
    ("dataset", "dataset regression-x-training-01:1's files in .* were changed"),
    ("abandoned", "run dead_run is Running, but its runner has ended"),
])
def test_workspace_check_lists_what_is_wrong_and_exits_1(capsys, root, tmp_path, damage,
                                                         problem):
    workspace = LocalWorkspace(root)
    model_dir = root / "models" / "model_a" / "1"
    if damage == "delete":
        for file in model_dir.iterdir():
            file.unlink()
    elif damage == "change":
        (model_dir / "model.pkl").write_bytes(b"changed")
    elif damage == "dataset":
        (tmp_path / "train.csv").write_text("x\n1\n", encoding="utf-8")
        record, _ = workspace.datasets.register("regression-x-training-01", "tabular",
                                                tmp_path / "train.csv", "d")
        (record.path / "train.csv").write_text("x\n2\n", encoding="utf-8")
    else:
        workspace.runs.start_run("model_a", "model_a", {PID: os.getpid(), PID_STARTED: "0"},
                                 run_id="dead_run")
    workspace.close()
    code, out, _ = run_cli(capsys, "workspace", "check")
    assert code == 1
    [listed] = [line for line in out.splitlines() if line.startswith("problem: ")]
    assert re.search(problem, listed), listed
    assert out.splitlines()[-1].endswith("1 problem(s) (index, 1 model versions, "
                                         f"{int(damage == 'dataset')} dataset versions, runs)")


def test_models_show_reports_a_version_whose_files_are_missing(capsys, root):
    (root / "models" / "model_a" / "1" / "model.pkl").unlink()
    code, out, err = run_cli(capsys, "models", "show", "model_a", "--json")
    assert code == 0
    assert "changed after registration" in json.loads(out)["problem"]
    assert err.startswith("warning: model model_a:1's files") and "--no-reuse" in err
