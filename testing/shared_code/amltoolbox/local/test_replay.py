"""replay RUN STEP [--debug]: one step of a past run again, on the inputs it had, as a new
run linked to the original, on the tiny model of tiny_pipeline.py."""
import os
import sys
from pathlib import Path

import pytest
from tiny_pipeline import CONSUME, PRODUCE, SEEN

from shared_code.amltoolbox.local.explain import (REPLAY_OF, REPLAYED_STEP, explain_run,
                                                 format_explanation)
from shared_code.amltoolbox.local.pinned_champion import NO_CHAMPION, pinned_champion
from shared_code.amltoolbox.local.replay import ReplayError, replay_step
from shared_code.amltoolbox.local.runner import LocalPipelineRunner
from shared_code.amltoolbox.records import COMPLETED, FAILED


def _run(config, workspace, steps=(PRODUCE, CONSUME, SEEN)) -> str:
    result = LocalPipelineRunner(config, steps, workspace, report=lambda line: None).run()
    assert result.succeeded
    return result.run_id


def _replay(config, workspace, run_id, step, lines=None, debug=False):
    report = lines.append if lines is not None else (lambda line: None)
    return replay_step(workspace, run_id, step, debug=debug, report=report,
                       repo_root=config.folder.parent)


def _output(workspace, run_id, step, name) -> Path:
    return Path(workspace.runs.step(run_id, step).outputs[name])


@pytest.mark.parametrize("debug", [False, True])
def test_a_replay_reproduces_the_output_as_a_new_run_linked_to_the_original(
        tiny_config, tiny_workspace, debug):
    original = _run(tiny_config, tiny_workspace)
    before = tiny_workspace.runs.get(original)
    lines = []
    result = _replay(tiny_config, tiny_workspace, original, "consume", lines, debug)
    assert result.status == COMPLETED and result.same_outputs == {"score": True}
    replayed = tiny_workspace.runs.get(result.run_id)
    assert replayed.properties[REPLAY_OF] == original
    assert replayed.properties[REPLAYED_STEP] == "consume"
    assert [step.step for step in replayed.steps] == ["consume"]
    assert _output(tiny_workspace, result.run_id, "consume", "score").joinpath(
        "score.txt").read_bytes() == _output(tiny_workspace, original, "consume",
                                             "score").joinpath("score.txt").read_bytes()
    assert tiny_workspace.runs.get(original) == before  # the original is untouched
    assert lines[-1].endswith(f"(the same as run {original}'s)")
    assert format_explanation(explain_run(tiny_workspace, result.run_id))[1] == (
        f"  consume: replayed: step consume of run {original}, on the inputs it had")


def test_debug_runs_the_step_in_this_process_and_restores_it(tiny_config, tiny_workspace):
    original = _run(tiny_config, tiny_workspace)
    environment, path, main = dict(os.environ), list(sys.path), sys.modules["__main__"]
    result = _replay(tiny_config, tiny_workspace, original, "seen", debug=True)
    pid = _output(tiny_workspace, result.run_id, "seen", "seen") / "pid.txt"
    assert pid.read_text(encoding="utf-8") == str(os.getpid())
    assert dict(os.environ) == environment and sys.path == path
    assert sys.modules["__main__"] is main


def test_without_debug_the_step_runs_in_a_process_of_its_own(tiny_config, tiny_workspace):
    original = _run(tiny_config, tiny_workspace)
    result = _replay(tiny_config, tiny_workspace, original, "seen")
    pid = _output(tiny_workspace, result.run_id, "seen", "seen") / "pid.txt"
    assert pid.read_text(encoding="utf-8") != str(os.getpid())


def test_the_current_script_runs_and_a_changed_output_is_named(tiny_config, tiny_workspace):
    original = _run(tiny_config, tiny_workspace)
    script = tiny_config.folder / "script_steps" / "consume.py"
    script.write_text(script.read_text(encoding="utf-8").replace('"!"', '"?"'),
                      encoding="utf-8")
    lines = []
    result = _replay(tiny_config, tiny_workspace, original, "consume", lines)
    assert result.same_outputs == {"score": False}
    assert lines[-1].endswith(f"(differs from run {original}'s)")


def test_the_champion_the_step_compared_with_is_pinned(tiny_config, tiny_workspace, tmp_path):
    original = _run(tiny_config, tiny_workspace)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "model.pkl").write_text("m", encoding="utf-8")
    tiny_workspace.models.register("model_t", tmp_path / "model")
    result = _replay(tiny_config, tiny_workspace, original, "seen")
    seen = _output(tiny_workspace, result.run_id, "seen", "seen") / "champion.txt"
    assert seen.read_text(encoding="utf-8") == "none"  # as in the original, not model_t:1
    later = _run(tiny_config, tiny_workspace)
    again = _replay(tiny_config, tiny_workspace, later, "seen")
    seen = _output(tiny_workspace, again.run_id, "seen", "seen") / "champion.txt"
    assert seen.read_text(encoding="utf-8") == "model_t:1"


def test_a_step_whose_input_is_gone_is_not_replayed(tiny_config, tiny_workspace):
    original = _run(tiny_config, tiny_workspace)
    for file in _output(tiny_workspace, original, "produce", "out").iterdir():
        file.write_text("changed", encoding="utf-8")
    with pytest.raises(ReplayError, match="output out of step produce .* is gone or changed"):
        _replay(tiny_config, tiny_workspace, original, "consume")
    assert len(tiny_workspace.runs.list()) == 1  # no run was started


def test_a_failing_replay_fails_its_own_run(tiny_config, tiny_workspace):
    original = _run(tiny_config, tiny_workspace)
    script = tiny_config.folder / "script_steps" / "consume.py"
    script.write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    result = _replay(tiny_config, tiny_workspace, original, "consume")
    assert result.status == FAILED and "boom" in result.error
    assert tiny_workspace.runs.get(result.run_id).status == FAILED
    assert tiny_workspace.runs.get(original).status == COMPLETED


@pytest.mark.parametrize("step, message", [("nope", "has no step 'nope'"),
                                           ("produce", "recorded before reuse keys were kept")])
def test_what_cannot_be_replayed_says_why(tiny_workspace, step, message):
    run_id = tiny_workspace.runs.start_run("model_t", "model_t", {})
    tiny_workspace.runs.start_step(run_id, "produce", "fingerprint")
    tiny_workspace.runs.end_step(run_id, "produce", COMPLETED, 1.0)
    with pytest.raises(ReplayError, match=message):
        replay_step(tiny_workspace, run_id, step)


@pytest.mark.parametrize("recorded, pinned", [(None, None), (NO_CHAMPION, NO_CHAMPION),
                                              ("model_t:3:" + "a" * 64, "model_t:3"),
                                              ("model_t:3:" + "a" * 64 + ":unusable", "model_t:3")])
def test_the_pinned_champion_is_the_recorded_name_and_version(recorded, pinned):
    assert pinned_champion(recorded) == pinned
