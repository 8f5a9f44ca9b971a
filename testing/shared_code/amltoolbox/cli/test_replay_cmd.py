"""replay RUN_ID STEP [--debug]: what the command line passes on, and a refusal in one line."""
import pytest
from testing_helpers import run_cli

from shared_code.amltoolbox.local.replay import ReplayResult
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.records import COMPLETED, FAILED


@pytest.mark.parametrize("argv, debug", [([], False), (["--debug"], True)])
@pytest.mark.parametrize("status, code", [(COMPLETED, 0), (FAILED, 1)])
def test_replay_passes_the_run_step_and_debug(capsys, mocker, workspace_dir, argv, debug,
                                              status, code):
    replay = mocker.patch("shared_code.amltoolbox.local.replay.replay_step",
                          return_value=ReplayResult("new-run", status, 0.1, {}))
    assert run_cli(capsys, "replay", "run-1", "evaluate", *argv)[0] == code
    workspace, run_id, step = replay.call_args.args
    assert workspace.root == workspace_dir and (run_id, step) == ("run-1", "evaluate")
    assert replay.call_args.kwargs == {"debug": debug}


@pytest.mark.usefixtures("workspace_dir")
def test_an_unknown_run_is_refused_in_one_line(capsys):
    code, out, err = run_cli(capsys, "replay", "no-such-run", "evaluate")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "no run 'no-such-run'" in err


def test_latest_is_the_newest_run_that_has_the_step(capsys, mocker, workspace_dir):
    """A newer run without the step (a drift check, say) is passed over."""
    workspace = LocalWorkspace(workspace_dir)
    pipeline = workspace.runs.start_run("model_a", "model_a", {}, run_id="run-1-pipeline")
    workspace.runs.start_step(pipeline, "evaluate", None)
    other = workspace.runs.start_run("model_a", "drift", {}, run_id="run-2-drift")
    workspace.runs.start_step(other, "drift_check", None)
    workspace.close()
    replay = mocker.patch("shared_code.amltoolbox.local.replay.replay_step",
                          return_value=ReplayResult("new-run", COMPLETED, 0.1, {}))
    assert run_cli(capsys, "replay", "latest", "evaluate")[0] == 0
    assert replay.call_args.args[1] == "run-1-pipeline"


@pytest.mark.usefixtures("workspace_dir")
def test_latest_without_such_a_step_says_what_to_run(capsys):
    code, _, err = run_cli(capsys, "replay", "latest", "evaluate")
    assert code == 2 and "has a step 'evaluate': run the model's pipeline first" in err


@pytest.mark.parametrize("argv, debug", [([], False), (["--debug"], True)])
def test_a_run_of_the_emulator_is_replayed_by_the_emulator(capsys, mocker, workspace_dir, argv,
                                                           debug):
    runs = workspace_dir / "azureml-emulator" / "runs"
    runs.mkdir(parents=True)
    (runs / "emulated-1.json").write_text("{}", encoding="utf-8")
    local = mocker.patch("shared_code.amltoolbox.local.replay.replay_step")
    emulated = mocker.patch("shared_code.aml_emulator.replay_target.replay", return_value=1)
    assert run_cli(capsys, "replay", "emulated-1", "evaluate", *argv)[0] == 1
    workspace, run_id, step, debugged = emulated.call_args.args
    assert workspace.root == workspace_dir and (run_id, step, debugged) == \
        ("emulated-1", "evaluate", debug)
    assert not local.called
