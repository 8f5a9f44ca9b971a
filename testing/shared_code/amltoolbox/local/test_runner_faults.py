"""The local runtime under faults, on model_a's real pipeline: a killed run, two at once."""
import os
import signal
import subprocess
import sys

import pytest
from process_helpers import leftover_processes
from testing_helpers import run_model_pipeline

from shared_code.amltoolbox.local.dataset_preparation import ensure_datasets
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.paths import REPO_ROOT, WORKSPACE_ENV_VAR
from shared_code.amltoolbox.records import COMPLETED, FAILED, REUSED, RUNNING

pytestmark = pytest.mark.integration

MODEL = "model_a"
CONFIG, STEPS = load_pipeline(MODEL)


def start_pipeline(root) -> subprocess.Popen:
    """`python -m shared_code.amltoolbox run model_a` in its own process group."""
    env = {**os.environ, WORKSPACE_ENV_VAR: str(root), "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen([sys.executable, "-m", "shared_code.amltoolbox", "run", MODEL],
                            cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def test_a_pipeline_killed_mid_way_registers_nothing_and_the_next_run_works(tmp_path):
    root = tmp_path / "workspace"
    runner = start_pipeline(root)
    seen = []
    for line in runner.stdout:  # the runner prints each step as it starts
        seen.append(line)
        if "evaluate: started" in line:
            break
    runner.kill()  # no clean-up: its step dies with it (the kernel's parent-death signal)
    runner.wait(timeout=60)
    runner.stdout.close()
    assert any("evaluate: started" in line for line in seen), "".join(seen)
    assert leftover_processes(runner.pid) == []

    workspace = LocalWorkspace(root)
    assert workspace.models.list() == []
    [killed] = workspace.runs.list()
    assert killed.status == RUNNING  # as the kill left it

    result = run_model_pipeline(MODEL, root)
    assert result.succeeded and result.outcome() == f"registered {CONFIG.model_name}:1"
    # train had completed before the kill, so its output is reused
    assert [s.status for s in result.steps] == [REUSED, COMPLETED, COMPLETED]
    killed = workspace.runs.get(killed.id)
    assert killed.status == FAILED and "interrupted" in killed.error
    assert {s.step: s.status for s in killed.steps} == {"train": COMPLETED, "evaluate": FAILED}
    assert [m.version for m in workspace.models.list()] == [1]
    workspace.close()


def test_a_terminated_runner_stops_its_step_and_records_the_run_as_interrupted(tmp_path):
    root = tmp_path / "workspace"
    runner = start_pipeline(root)
    for line in runner.stdout:
        if "train: started" in line:
            break
    runner.send_signal(signal.SIGTERM)  # the runner only, as a cancelled CI job or `timeout`
    runner.wait(timeout=60)
    runner.stdout.close()
    workspace = LocalWorkspace(root)
    [run] = workspace.runs.list()
    assert run.status == FAILED and run.error == "interrupted"
    # The step went with the runner (waited for as it ends), so it cannot register later.
    assert leftover_processes(runner.pid) == []
    assert workspace.models.list() == []
    workspace.close()


def test_two_pipelines_at_once_both_succeed_and_register_the_model_once(tmp_path):
    root = tmp_path / "workspace"
    workspace = LocalWorkspace(root)
    ensure_datasets(CONFIG, STEPS, workspace, report=lambda line: None)
    runners = [start_pipeline(root) for _ in range(2)]
    outputs = [runner.communicate(timeout=300)[0] for runner in runners]
    assert [runner.returncode for runner in runners] == [0, 0], outputs

    model_id = f"{CONFIG.model_name}:1"
    outcomes = sorted(output.splitlines()[-1].split("; ", 1)[1] for output in outputs)
    assert outcomes[0].startswith("nothing registered: ") and model_id in outcomes[0]
    assert outcomes[1] == f"registered {model_id}"
    assert [m.id for m in workspace.models.list()] == [model_id]
    runs = workspace.runs.list()
    assert len(runs) == 2 and {run.status for run in runs} == {COMPLETED}
    for run in runs:  # train may be reused by the run that reached it second
        steps = workspace.runs.get(run.id).steps
        assert len(steps) == 3 and {s.status for s in steps} <= {COMPLETED, REUSED}
    workspace.close()
