"""Fault injection: kill -9 of the runner, or of a step, at points chosen at random among
events (a line the runner prints, a file a step writes, a step's process appearing), on both
models' real pipelines. After each trial: nothing registered by the dead run, the index
intact, no process left over, and the next run succeeds with a sound workspace.

`tox` runs FAULT_TRIALS trials (6 unless set); `tox -e faults` runs 50. FAULT_SEED (a word)
picks other points; a failing trial prints its plan, so it can be run again by its number.
"""
import dataclasses
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import psutil
import pytest
from process_helpers import leftover_processes, wait_for
from testing_helpers import run_model_pipeline
from workspace_damage import index_is_intact

from shared_code.amltoolbox.local.dataset_preparation import ensure_datasets
from shared_code.amltoolbox.local.workspace_check import workspace_problems
from shared_code.amltoolbox.local.models import MODELS_DIR
from shared_code.amltoolbox.local.runner import LOG_FILE
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import REPO_ROOT, WORKSPACE_ENV_VAR
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.records import COMPLETED, FAILED

pytestmark = [pytest.mark.integration, pytest.mark.faults]

TRIALS = int(os.environ.get("FAULT_TRIALS", "6"))
SEED = os.environ.get("FAULT_SEED", "issue 11")
MODELS = ("model_a", "model_b")
RUNNER, STEP = "runner", "step"


@dataclasses.dataclass(frozen=True)
class KillPoint:
    """An event in a run, and the process killed when it comes."""
    name: str
    victim: str  # RUNNER, or the step whose process is killed
    needs_new_workspace: bool = False  # the event comes only while datasets are registered


def _kill_points(steps) -> list[KillPoint]:
    """Every event of a run, for the runner and for each step (in the order they come)."""
    train, evaluate, register = (s.name for s in steps)
    points = [KillPoint("line: registered dataset", RUNNER, needs_new_workspace=True),
              KillPoint("line: run started", RUNNER)]
    for step in (train, evaluate, register):
        points += [KillPoint(f"line: {step} started", RUNNER),
                   KillPoint(f"process: {step}", RUNNER), KillPoint(f"process: {step}", step)]
    for victim in (RUNNER, train):
        points.append(KillPoint(f"file: {train} model", victim))
    for victim in (RUNNER, evaluate):
        points.append(KillPoint(f"file: {evaluate} summary", victim))
    for victim in (RUNNER, register):
        points += [KillPoint(f"file: {register} staging", victim),
                   KillPoint(f"log: {register} registered", victim)]
    return points


@dataclasses.dataclass(frozen=True)
class Plan:
    """What one trial does."""
    trial: int
    model: str
    point: KillPoint

    def __str__(self) -> str:
        victim = RUNNER if self.point.victim == RUNNER else f"{self.point.victim} step"
        return (f"trial {self.trial} (FAULT_SEED={SEED!r}): {self.model}, kill -9 the {victim} "
                f"at '{self.point.name}'")


def plan_of(trial: int) -> Plan:
    """Both models in turn, the runner and the steps in turn, the event at random."""
    model = MODELS[trial % len(MODELS)]
    points = _kill_points(load_pipeline(model)[1])
    runner_turn = (trial // len(MODELS)) % 2 == 0
    choices = [p for p in points if (p.victim == RUNNER) is runner_turn]
    return Plan(trial, model, random.Random(f"{SEED}:{trial}").choice(choices))


class WatchedRun:
    """A pipeline run started as a user starts it, with what it prints and does in view."""

    def __init__(self, model: str, root: Path):
        self.model, self.root = model, root
        self.config, self.steps = load_pipeline(model)
        env = {**os.environ, WORKSPACE_ENV_VAR: str(root), "PYTHONPATH": str(REPO_ROOT)}
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "shared_code.amltoolbox", "run", model], cwd=REPO_ROOT,
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def run_id(self) -> str | None:
        """The run's id, from the first line the runner prints."""
        first = self.lines[0] if self.lines else ""
        return first.split()[1].rstrip(":") if first.startswith("run ") else None

    def step_dir(self, step: str) -> Path:
        """The folder of one of this run's steps."""
        return self.root / "runs" / str(self.run_id) / step

    def step_process(self, step: str) -> psutil.Process | None:
        """The process running `step`, while there is one: the runner's descendant writing the
        step's log (a step started cold is the runner's child; one forked warm, its
        server's)."""
        log = str(self.step_dir(step) / LOG_FILE)
        try:
            descendants = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return None
        for process in descendants:
            try:
                if any(file.fd == 1 and file.path == log for file in process.open_files()):
                    return process
            except psutil.NoSuchProcess:
                continue
        return None

    def output(self) -> str:
        """What the runner printed so far."""
        return "".join(self.lines)


def _event(run: WatchedRun, name: str) -> Callable[[], object]:
    """A check that is true once the named event has come."""
    kind, _, what = name.partition(": ")
    words = what.split()
    if name == "line: run started":
        return lambda: run.run_id
    if kind == "line":
        marker = (f"] {words[0]}: started" if words[-1] == "started"
                  else "registered dataset")
        return lambda: any(marker in line for line in run.lines)
    if kind == "process":
        return lambda: run.run_id and run.step_process(words[0])
    if kind == "log":  # register.py prints "registered model_a:1: ..." once it has
        return lambda: run.run_id and any(line.startswith("registered ") for line in _text(
            run.step_dir(words[0]) / "log.txt").splitlines())
    if words[1] == "staging":
        folder = run.root / MODELS_DIR / run.config.model_name
        return lambda: folder.is_dir() and any(folder.glob(".staging-*"))
    output = "model" if words[1] == "model" else "model_score"
    return lambda: run.run_id and any((run.step_dir(words[0]) / "outputs" / output).glob("*"))


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _ended(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@pytest.fixture(name="dataset_workspaces", scope="module")
def fixture_dataset_workspaces(tmp_path_factory) -> dict[str, Path]:
    """Per model, a workspace holding its datasets and nothing else, to copy for each trial."""
    templates = {}
    for model in MODELS:
        root = tmp_path_factory.mktemp(f"{model}_datasets")
        workspace = LocalWorkspace(root)
        ensure_datasets(*load_pipeline(model), workspace, report=lambda line: None)
        workspace.store.query("PRAGMA wal_checkpoint(TRUNCATE)")
        workspace.close()
        templates[model] = root
    return templates


@dataclasses.dataclass
class Outcome:
    """What a trial found."""
    killed_at: str  # UTC, as the registry records times, just before the kill -9
    dead_at: str  # UTC, once the killed process was seen dead
    fault_injected: bool


def inject(run: WatchedRun, plan: Plan) -> Outcome:
    """Wait for the plan's event, then kill -9 its victim; return when it is dead (or when
    the run ended before it could be killed: a fault not injected)."""
    came = _event(run, plan.point.name)
    wait_for(lambda: came() or run.process.poll() is not None, str(plan))
    killed_at, victim = _utc_now(), None
    try:
        if run.process.poll() is None:  # psutil checks the pid is still the same process
            victim = (psutil.Process(run.process.pid) if plan.point.victim == RUNNER
                      else run.step_process(plan.point.victim))
        if victim is not None:
            victim.send_signal(signal.SIGKILL)
    except psutil.NoSuchProcess:
        victim = None  # the step, or the whole run, ended on its own first
    if plan.point.victim == RUNNER:
        injected = run.process.wait() == -signal.SIGKILL
    else:
        injected = victim is not None
        if victim is not None:
            wait_for(lambda: _ended(victim), f"the killed step to end ({plan})")
    return Outcome(killed_at, _utc_now(), injected)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_a_run_killed_at_a_random_point_registers_nothing_and_leaves_a_sound_workspace(
        trial, tmp_path, dataset_workspaces):
    plan = plan_of(trial)
    print(plan)
    root = tmp_path / "workspace"
    if not plan.point.needs_new_workspace:
        shutil.copytree(dataset_workspaces[plan.model], root)
    run = WatchedRun(plan.model, root)
    outcome = inject(run, plan)
    run.process.wait()
    run.reader.join()
    run.process.stdout.close()
    context = f"{plan}\n--- the runner printed ---\n{run.output()}"

    leftovers = leftover_processes(run.process.pid)
    assert leftovers == [], context
    assert index_is_intact(root), context
    workspace = LocalWorkspace(root)
    by_killed_run = [record for record in [*workspace.models.list(), *workspace.datasets.list()]
                     if record.run_id == run.run_id]
    by_dead_run = [record for record in by_killed_run if record.created > outcome.dead_at]
    before_kill = [record for record in by_killed_run if record.created <= outcome.killed_at]
    print(f"result: {plan}: fault injected {outcome.fault_injected}; registered by the killed "
          f"run before the kill {len(before_kill)}, while it was being killed "
          f"{len(by_killed_run) - len(before_kill) - len(by_dead_run)}, after its death "
          f"{len(by_dead_run)}; processes left {len(leftovers)}")
    assert by_dead_run == [], context
    killed = workspace.runs.get(run.run_id)
    assert killed.status != COMPLETED or not outcome.fault_injected, context

    result = run_model_pipeline(plan.model, root)
    assert result.succeeded, f"{context}\nnext run: {result.error}"
    assert workspace.runs.get(run.run_id).status in (FAILED, COMPLETED), context
    assert [m.version for m in workspace.models.list()] == [1], context
    problems, _ = workspace_problems(workspace)
    assert problems == [], context
    workspace.close()
