"""The local runner on a tiny model whose steps take milliseconds: order, reuse, failures."""
import dataclasses
import os
import signal
import textwrap
from pathlib import Path

import pytest
from testing_helpers import statuses

from shared_code.amltoolbox.layout import UnknownModelError
from shared_code.amltoolbox.local.fingerprint import code_manifest
from shared_code.amltoolbox.local.runner import (LOG_FILE, LocalPipelineRunner, print_summary,
                                                 step_starter)
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.pipeline import (PipelineDefinitionError, Step, load_pipeline,
                                             output_of, registered)
from shared_code.warm_steps.client import COLD_ENV_VAR
from shared_code.amltoolbox.records import (COMPLETED, FAILED, REUSED, RUNNING, RunResult,
                                            StepResult)

DATA = "files-tiny-training-01"

# Each script is a real step: it talks to get_run_context() as model_a's scripts do.
SCRIPTS = {
    "produce.py": """
        from pathlib import Path
        from shared_code.amltoolbox.run_context import get_run_context
        run = get_run_context()
        text = (Path(run.input_datasets["data"]) / "data.txt").read_text()
        (Path(run.output_datasets["out"]) / "result.txt").write_text(text.upper())
        run.log("chars", len(text))
    """,
    "consume.py": """
        from pathlib import Path
        from shared_code.amltoolbox.run_context import get_run_context
        run = get_run_context()
        text = (Path(run.input_datasets["out"]) / "result.txt").read_text()
        (Path(run.output_datasets["score"]) / "score.txt").write_text(text + "!")
        run.tag("seen", text)
    """,
    "user_error.py": """
        from shared_code.amltoolbox.errors import DataError
        from shared_code.amltoolbox.step_main import run_step
        def main():
            raise DataError("dataset 'files-tiny-training-01' has no column 'x': add it")
        run_step(main)
    """,
    "crash.py": """
        print("working")
        raise RuntimeError("boom")
    """,
    "silent.py": """
        import sys
        sys.exit(3)
    """,
    "slow.py": """
        import time
        time.sleep(60)
    """,
}


@pytest.fixture(name="workspace")
def fixture_workspace(tmp_path):
    workspace = LocalWorkspace(tmp_path / "ws")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "data.txt").write_text("abc", encoding="utf-8")
    workspace.datasets.register(DATA, "file", tmp_path / "data", "tiny data")
    yield workspace
    workspace.close()


@pytest.fixture(name="config")
def fixture_config(tmp_path, mocker):
    """model_a's settings, for a model folder holding the tiny scripts.

    The folder lives in tmp_path, so its code is hashed relative to tmp_path.
    """
    mocker.patch("shared_code.amltoolbox.local.runner.code_manifest",
                 lambda layout, scripts: code_manifest(layout, scripts, repo_root=tmp_path))
    folder = tmp_path / "model_t"
    (folder / "script_steps").mkdir(parents=True)
    for name, code in SCRIPTS.items():
        (folder / "script_steps" / name).write_text(textwrap.dedent(code), encoding="utf-8")
    return dataclasses.replace(load_pipeline("model_a")[0], folder=folder, model_name="model_t")


PRODUCE = Step("produce", "produce.py", inputs={"data": registered(DATA)}, outputs=["out"])
CONSUME = Step("consume", "consume.py", inputs={"out": output_of("produce", "out")},
               outputs=["score"], compares_with_champion=True)


def run_pipeline(config, workspace, steps=(PRODUCE, CONSUME), reuse=True, lines=None):
    """Run the tiny pipeline in-process; progress lines go to `lines` when given."""
    report = lines.append if lines is not None else (lambda line: None)
    return LocalPipelineRunner(config, steps, workspace, reuse=reuse, report=report).run()



def test_steps_run_in_order_with_their_outputs_metrics_and_tags(config, workspace):
    lines = []
    result = run_pipeline(config, workspace, lines=lines)
    assert result.succeeded and statuses(result) == [COMPLETED, COMPLETED]
    produce, consume = result.steps
    assert produce.metrics == {"chars": 3} and consume.tags == {"seen": "ABC"}
    recorded = workspace.runs.get(result.run_id)
    assert recorded.status == COMPLETED and recorded.error is None
    assert recorded.properties["pid"] > 0
    score = Path(recorded.steps[1].outputs["score"]) / "score.txt"
    assert score.read_text(encoding="utf-8") == "ABC!"
    assert lines[0].startswith(f"run {result.run_id}: model_t (produce -> consume)")
    assert lines[1] == "[1/2] produce: started (produce.py)"
    assert lines[2].startswith("[1/2] produce: completed in ")


def test_an_unchanged_pipeline_is_reused_whole_and_keeps_its_metrics(config, workspace):
    first = run_pipeline(config, workspace)
    lines = []
    second = run_pipeline(config, workspace, lines=lines)
    assert statuses(second) == [REUSED, REUSED]
    assert {step.reused_from for step in second.steps} == {first.run_id}
    assert second.steps[0].metrics == {"chars": 3} and second.steps[1].tags == {"seen": "ABC"}
    assert lines[1].startswith(f"[1/2] produce: reused from run {first.run_id}")
    assert [s.status for s in workspace.runs.get(second.run_id).steps] == [REUSED, REUSED]


def test_no_reuse_runs_every_step(config, workspace):
    run_pipeline(config, workspace)
    assert statuses(run_pipeline(config, workspace, reuse=False)) == [COMPLETED, COMPLETED]


def _edit(path: Path) -> None:
    """Change a script, or add a new module beside the steps."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(old + "\n# edited\n", encoding="utf-8")


@pytest.mark.parametrize("change, expected", [
    ("consume.py", [REUSED, COMPLETED]),
    ("produce.py", [COMPLETED, REUSED]),  # same output content: consume is reused
    ("helpers.py", [COMPLETED, COMPLETED]),  # code every step shares
])
def test_a_code_change_reruns_what_depends_on_it(config, workspace, change, expected):
    run_pipeline(config, workspace)
    _edit(config.folder / "script_steps" / change)
    assert statuses(run_pipeline(config, workspace)) == expected


def test_a_new_dataset_version_reruns_the_steps_it_feeds(config, workspace, tmp_path):
    run_pipeline(config, workspace)
    (tmp_path / "data" / "data.txt").write_text("abcd", encoding="utf-8")
    workspace.datasets.register(DATA, "file", tmp_path / "data", "tiny data")
    assert statuses(run_pipeline(config, workspace)) == [COMPLETED, COMPLETED]


def test_changed_arguments_rerun_the_step(config, workspace):
    run_pipeline(config, workspace)
    steps = (dataclasses.replace(PRODUCE, arguments=["--extra"]), CONSUME)
    assert statuses(run_pipeline(config, workspace, steps)) == [COMPLETED, REUSED]


def test_a_new_champion_reruns_only_the_steps_that_compare_with_it(config, workspace, tmp_path):
    run_pipeline(config, workspace)
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "model.pkl").write_text("m", encoding="utf-8")
    workspace.models.register("model_t", tmp_path / "model")
    assert statuses(run_pipeline(config, workspace)) == [REUSED, COMPLETED]
    assert statuses(run_pipeline(config, workspace)) == [REUSED, REUSED]


def test_a_step_that_does_not_allow_reuse_always_runs(config, workspace):
    steps = (PRODUCE, dataclasses.replace(CONSUME, reuse=False))
    run_pipeline(config, workspace, steps)
    assert statuses(run_pipeline(config, workspace, steps)) == [REUSED, COMPLETED]


def test_a_step_whose_outputs_were_deleted_runs_again(config, workspace):
    first = run_pipeline(config, workspace)
    for output in workspace.runs.get(first.run_id).steps[0].outputs.values():
        for file in Path(output).iterdir():
            file.unlink()
        Path(output).rmdir()
    assert statuses(run_pipeline(config, workspace)) == [COMPLETED, REUSED]


@pytest.mark.parametrize("script, error", [
    ("user_error.py", "dataset 'files-tiny-training-01' has no column 'x': add it"),
    ("crash.py", "RuntimeError: boom"),
    ("silent.py", "the step exited with code 3 and printed nothing"),
])
def test_a_failing_step_stops_the_pipeline_and_fails_the_run_with_its_error(
        config, workspace, script, error):
    lines = []
    steps = (dataclasses.replace(PRODUCE, script_name=script), CONSUME)
    result = run_pipeline(config, workspace, steps, lines=lines)
    assert not result.succeeded and statuses(result) == [FAILED]
    assert result.steps[0].error == error
    assert result.error == f"step 'produce' failed: {error}"
    recorded = workspace.runs.get(result.run_id)
    assert (recorded.status, recorded.error) == (FAILED, result.error)
    assert [(s.step, s.status, s.error) for s in recorded.steps] == [("produce", FAILED, error)]
    assert "[1/2] produce: FAILED after" in lines[-1] and error in lines[-1]
    assert lines[-1].endswith(str(workspace.runs.step_dir(result.run_id, "produce") / LOG_FILE))


def test_a_failed_step_is_never_reused(config, workspace):
    steps = (dataclasses.replace(PRODUCE, script_name="crash.py"), CONSUME)
    run_pipeline(config, workspace, steps)
    assert statuses(run_pipeline(config, workspace, steps)) == [FAILED]


def test_a_missing_dataset_fails_the_run_on_record_naming_the_dataset(config, workspace):
    steps = (dataclasses.replace(PRODUCE, inputs={"data": registered(DATA, 5)}), CONSUME)
    result = run_pipeline(config, workspace, steps)
    assert not result.succeeded and not result.steps
    assert f"version 5 of dataset '{DATA}' is not registered" in result.error
    recorded = workspace.runs.get(result.run_id)
    assert (recorded.status, recorded.error) == (FAILED, result.error)


def test_a_runner_that_fails_itself_ends_its_run_as_failed_with_the_cause(config, workspace,
                                                                          mocker):
    mocker.patch.object(LocalPipelineRunner, "_execute", side_effect=OSError("disk full"))
    with pytest.raises(OSError):
        run_pipeline(config, workspace)
    [run] = workspace.runs.list()
    assert (run.status, run.error) == (FAILED, "OSError: disk full")


def _after_each_start(mocker, then) -> None:
    """The runner's steps started as ever, `then(process)` called on each once started."""
    starter = step_starter()

    def start(*args):
        process = starter(*args)
        then(process)
        return process
    mocker.patch("shared_code.amltoolbox.local.runner.step_starter", return_value=start)


@pytest.mark.parametrize("cold", ["1", "0"], ids=["cold", "warm"])
def test_ctrl_c_during_a_step_ends_the_step_process_and_fails_the_run(config, workspace, mocker,
                                                                      monkeypatch, cold):
    monkeypatch.setenv(COLD_ENV_VAR, cold)
    interrupted = []

    def interrupt_the_first_wait(process):
        real_wait = process.wait

        def wait():
            if not interrupted:
                interrupted.append(process)
                raise KeyboardInterrupt  # as Ctrl-C arrives while the runner waits for its step
            return real_wait()
        process.wait = wait
    _after_each_start(mocker, interrupt_the_first_wait)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(config, workspace, (dataclasses.replace(PRODUCE, script_name="slow.py"),))
    assert interrupted[0].returncode == -signal.SIGKILL
    [run] = workspace.runs.list()
    assert (run.status, run.error) == (FAILED, "interrupted")


@pytest.mark.parametrize("cold", ["1", "0"], ids=["cold", "warm"])
def test_a_sigterm_while_the_runner_starts_its_step_still_kills_the_step(config, workspace,
                                                                         mocker, monkeypatch,
                                                                         cold):
    monkeypatch.setenv(COLD_ENV_VAR, cold)
    started = []

    def terminated(process):
        started.append(process)
        os.kill(os.getpid(), signal.SIGTERM)  # as if it came inside subprocess.Popen()
    _after_each_start(mocker, terminated)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(config, workspace, (dataclasses.replace(PRODUCE, script_name="slow.py"),))
    assert started[0].returncode == -signal.SIGKILL
    [run] = workspace.runs.list()
    assert (run.status, run.error) == (FAILED, "interrupted")


def test_runs_abandoned_by_a_killed_runner_are_failed_by_the_next_run(config, workspace):
    abandoned = workspace.runs.start_run("model_t", "model_t", {"pid": None})
    run_pipeline(config, workspace)
    assert workspace.runs.get(abandoned).status == FAILED
    assert all(run.status != RUNNING for run in workspace.runs.list())


def test_a_bad_step_list_is_refused_before_any_run_is_recorded(config, workspace):
    with pytest.raises(PipelineDefinitionError, match="not an earlier step"):
        run_pipeline(config, workspace, (CONSUME, PRODUCE))
    assert workspace.runs.list() == []


def test_an_unknown_model_folder_lists_the_known_ones():
    with pytest.raises(UnknownModelError, match="'model_zz' is not a model folder.*model_a"):
        load_pipeline("model_zz")


@pytest.mark.parametrize("steps, error, outcome", [
    ([StepResult("register", COMPLETED, 1.0, tags={"registered_model": "model_a:2"})], None,
     "registered model_a:2"),
    ([StepResult("register", COMPLETED, 1.0, tags={"not_registered": "not better"})], None,
     "nothing registered: not better"),
    ([StepResult("train", FAILED, 1.0)], "step 'train' failed: bad", "nothing registered: "
                                                                     "step 'train' failed: bad"),
    ([], None, "nothing registered"),
])
def test_the_outcome_says_what_happened_to_the_model(steps, error, outcome):
    assert RunResult("r1", COMPLETED, steps, error).outcome() == outcome


def test_the_summary_prints_numeric_metrics_then_the_outcome():
    result = RunResult("r1", COMPLETED, [
        StepResult("evaluate", COMPLETED, 1.0, metrics={"rmse": 55.24397, "note": "x"},
                   tags={"not_registered": "identical"})])
    lines = []
    print_summary(result, lines.append)
    assert lines == ["metrics (evaluate): rmse=55.24",
                     "run r1: Completed; nothing registered: identical"]


def test_the_runner_reads_each_step_alone_not_the_whole_run_once_a_step(config, workspace,
                                                                        mocker):
    """Reading the whole run at each step made a run's cost grow with its steps squared."""
    run_pipeline(config, workspace)
    whole = mocker.spy(workspace.runs, "get")
    reused = run_pipeline(config, workspace)
    assert statuses(reused) == [REUSED, REUSED] and whole.call_count == 0
    assert reused.steps[0].metrics == {"chars": 3}
