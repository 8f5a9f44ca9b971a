"""replay RUN_ID STEP [--debug]: what the command line passes on, and a refusal in one line."""
import pytest
from testing_helpers import run_cli

from shared_code.amltoolbox.local.replay import ReplayResult
from shared_code.amltoolbox.local.runs import COMPLETED, FAILED


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
