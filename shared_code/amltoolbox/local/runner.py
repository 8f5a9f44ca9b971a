"""Run a model's step list on this machine: one process per step, same names as in AML.

A step is reused (AML's allow_reuse) when its fingerprint - code, arguments, input
content and, for steps that compare with the champion, the champion - matches a
completed earlier step whose outputs still exist.
"""
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from ..git_info import git_properties
from ..hashing import tree_sha256
from ..model_config import ModelConfig, check_unique_names
from ..paths import REPO_ROOT, WORKSPACE_ENV_VAR
from ..pipeline import DatasetInput, Step, validate_steps
from ..promotion.registration import NOT_REGISTERED_TAG, REGISTERED_TAG
from ..run_context import STEP_SPEC_ENV_VAR
from .dataset_preparation import ensure_datasets
from .datasets import DatasetNotFoundError
from .fingerprint import common_code_hash, step_fingerprint
from .local_run import ERROR_FILE
from .runs import COMPLETED, FAILED, REUSED, StepRecord
from .step_spec import OUTPUT, InputSpec, StepSpec
from .workspace import LocalWorkspace

LOG_FILE = "log.txt"
LAUNCHER = "shared_code.amltoolbox.local.step_launcher"


@dataclass
class StepResult:
    """How one step went."""
    name: str
    status: str
    duration: float
    reused_from: str | None = None
    error: str | None = None
    metrics: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)


@dataclass
class PipelineResult:
    """How a pipeline run went."""
    run_id: str
    status: str
    steps: list[StepResult] = field(default_factory=list)
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        """True when every step completed or was reused."""
        return self.status == COMPLETED

    def outcome(self) -> str:
        """What happened to the model: registered name:version, or why not."""
        for step in self.steps:
            if REGISTERED_TAG in step.tags:
                return f"registered {step.tags[REGISTERED_TAG]}"
            if NOT_REGISTERED_TAG in step.tags:
                return f"nothing registered: {step.tags[NOT_REGISTERED_TAG]}"
        return f"nothing registered: {self.error}" if self.error else "nothing registered"


class LocalPipelineRunner:
    """Runs one model's steps in the local workspace, printing progress as it goes."""

    def __init__(self, config: ModelConfig, steps: Sequence[Step],  # pylint: disable=too-many-arguments
                 workspace: LocalWorkspace | None = None, reuse: bool = True,
                 report: Callable[[str], None] | None = None,
                 experiment_name: str | None = None):
        self.config, self.steps, self.reuse = config, list(steps), reuse
        self.workspace = workspace or LocalWorkspace()
        self.report = report or (lambda line: print(line, flush=True))
        self.layout = config.layout
        self.experiment_name = experiment_name or config.model_name

    def run(self) -> PipelineResult:
        """Prepare datasets, then run (or reuse) each step in order; stop at the first failure.

        The run is on record before its datasets are looked up, so a missing dataset fails
        the run like a failing step does, and nothing that stops the runner leaves it Running.
        """
        check_unique_names(self.config)
        validate_steps(self.steps, self.layout.script_steps)
        runs = self.workspace.runs
        runs.fail_abandoned_runs()
        properties = {**git_properties(REPO_ROOT), "pid": os.getpid()}
        run_id = runs.start_run(self.config.model_name, self.experiment_name, properties)
        self.report(f"run {run_id}: {self.config.folder.name} "
                    f"({' -> '.join(s.name for s in self.steps)}), workspace {self.workspace.root}")
        result = PipelineResult(run_id=run_id, status=COMPLETED)
        with _sigterm_as_interrupt():
            try:
                ensure_datasets(self.config, self.steps, self.workspace, self.report)
                common = common_code_hash(self.layout, {s.script_name for s in self.steps})
                produced: dict[tuple[str, str], tuple[str, str]] = {}
                for index, step in enumerate(self.steps, start=1):
                    step_result = self._run_step(run_id, step, f"[{index}/{len(self.steps)}]",
                                                 common, produced, properties)
                    result.steps.append(step_result)
                    if step_result.status == FAILED:
                        result.status = FAILED
                        result.error = f"step '{step.name}' failed: {step_result.error}"
                        break
            except DatasetNotFoundError as error:
                result.status, result.error = FAILED, str(error)
            except BaseException as error:
                runs.end_run(run_id, FAILED, "interrupted" if isinstance(error, KeyboardInterrupt)
                             else f"{type(error).__name__}: {error}")
                raise
        runs.end_run(run_id, result.status, result.error)
        return result

    def _resolve_inputs(self, step: Step, produced) -> tuple[dict[str, InputSpec], dict]:
        inputs, hashes = {}, {}
        for name, source in step.inputs.items():
            if isinstance(source, DatasetInput):
                record = self.workspace.datasets.get(source.name, source.version)
                inputs[name] = InputSpec(record.type, str(record.path), record.name,
                                         record.version)
                hashes[name] = record.content_sha256
            else:
                path, content = produced[(source.step, source.output)]
                inputs[name] = InputSpec(OUTPUT, path)
                hashes[name] = content
        return inputs, hashes

    def _champion_identity(self, step: Step) -> str | None:
        if not step.compares_with_champion:
            return None
        champion = self.workspace.models.latest(self.config.model_name)
        return f"{champion.id}:{champion.sha256}" if champion else "no champion"

    def _run_step(self, run_id, step: Step, label, common, produced, properties) -> StepResult:
        runs = self.workspace.runs
        inputs, input_hashes = self._resolve_inputs(step, produced)
        script = self.layout.script(step.script_name)
        fingerprint = step_fingerprint(common, script, step.arguments, input_hashes,
                                       self._champion_identity(step))
        started = time.perf_counter()
        runs.start_step(run_id, step.name, fingerprint)
        cached = runs.find_reusable(step.name, fingerprint) if self.reuse and step.reuse else None
        if cached is not None:
            return self._reuse(run_id, step, label, cached, produced, started)
        self.report(f"{label} {step.name}: started ({step.script_name})")
        spec = self._step_spec(run_id, step, inputs, properties)
        step_dir, outputs = Path(spec.step_dir), spec.outputs
        return_code = self._execute(script, step, spec.write())
        duration = time.perf_counter() - started
        if return_code != 0:
            error = _step_error(step_dir, return_code)
            runs.end_step(run_id, step.name, FAILED, duration, outputs, error=error)
            self.report(f"{label} {step.name}: FAILED after {duration:.2f}s\n    {error}\n"
                        f"    log: {step_dir / LOG_FILE}")
            return StepResult(step.name, FAILED, duration, error=error)
        return self._completed(run_id, step, label, outputs, produced, duration)

    def _step_spec(self, run_id, step: Step, inputs, properties) -> StepSpec:
        """The step's folder, inputs and outputs, as its run context will read them."""
        step_dir = self.workspace.runs.step_dir(run_id, step.name)
        return StepSpec(run_id=run_id, step=step.name, step_dir=str(step_dir),
                        workspace=str(self.workspace.root), model=self.config.model_name,
                        inputs=inputs,
                        outputs={name: str(step_dir / "outputs" / name) for name in step.outputs},
                        arguments=list(step.arguments), properties=properties)

    def _completed(self, run_id, step: Step, label, outputs, produced, duration) -> StepResult:
        """Record a step that ran through, with its outputs' hashes for the steps after it."""
        hashes = {name: tree_sha256(Path(path)) for name, path in outputs.items()}
        for name, path in outputs.items():
            produced[(step.name, name)] = (path, hashes[name])
        self.workspace.runs.end_step(run_id, step.name, COMPLETED, duration, outputs, hashes)
        self.report(f"{label} {step.name}: completed in {duration:.2f}s")
        recorded = self.workspace.runs.step(run_id, step.name)
        return StepResult(step.name, COMPLETED, duration, metrics=recorded.metrics,
                          tags=recorded.tags)

    def _reuse(self, run_id, step, label, cached: StepRecord, produced, started) -> StepResult:
        for name, path in cached.outputs.items():
            produced[(step.name, name)] = (path, cached.output_hashes[name])
        duration = time.perf_counter() - started
        self.workspace.runs.end_step(run_id, step.name, REUSED, duration, cached.outputs,
                                     cached.output_hashes, reused_from=cached.run_id)
        self.report(f"{label} {step.name}: reused from run {cached.run_id} ({duration:.2f}s)")
        recorded = self.workspace.runs.step(cached.run_id, step.name)
        return StepResult(step.name, REUSED, duration, reused_from=cached.run_id,
                          metrics=recorded.metrics, tags=recorded.tags)

    def _execute(self, script: Path, step: Step, spec_file: Path) -> int:
        env = {**os.environ,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                           os.environ.get("PYTHONPATH")])),
               STEP_SPEC_ENV_VAR: str(spec_file),
               WORKSPACE_ENV_VAR: str(self.workspace.root),
               "MPLBACKEND": "Agg"}
        command = [sys.executable, "-m", LAUNCHER, str(script), *step.arguments]
        with (open(spec_file.parent / LOG_FILE, "wb") as log,
              subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT) as process):
            try:
                return process.wait()
            except BaseException:
                process.kill()  # Ctrl-C, or a runner that fails, ends its step too
                process.wait()
                raise


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """SIGTERM (a cancelled CI job, `timeout`, `kill`) stops the runner as Ctrl-C does: the
    running step is killed and the run recorded as interrupted, never left to register on
    its own."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(signum, frame):  # pylint: disable=unused-argument
    raise KeyboardInterrupt


def _step_error(step_dir: Path, return_code: int) -> str:
    """The step's own error message, else the last line of its log."""
    error_file = step_dir / ERROR_FILE
    if error_file.is_file():
        return error_file.read_text(encoding="utf-8").strip()
    log = step_dir / LOG_FILE
    text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    lines = text.strip().splitlines()
    return lines[-1] if lines else f"the step exited with code {return_code} and printed nothing"


def print_summary(result: PipelineResult, report: Callable[[str], None] = print) -> None:
    """The metrics each step logged, then the outcome."""
    for step in result.steps:
        numbers = {k: v for k, v in step.metrics.items() if isinstance(v, (int, float))}
        if numbers:
            report(f"metrics ({step.name}): " + ", ".join(
                f"{k}={v:.4g}" for k, v in numbers.items()))
    report(f"run {result.run_id}: {result.status}; {result.outcome()}")
