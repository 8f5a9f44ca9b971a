"""Run a model's step list on this machine: one process per step, same names as in AML; a
step is reused (AML's allow_reuse) when its fingerprint matches a completed earlier step
whose outputs still exist."""
import functools
import os
import sys
import time
from pathlib import Path
from typing import Sequence

from ..errors import EXIT_USER_ERROR
from ..git_info import git_properties, model_code_paths
from ..hashing import file_sha256, tree_sha256
from ..loading import load_optional
from ..model_config import ModelConfig, check_model_folder
from ..paths import REPO_ROOT, WORKSPACE_ENV_VAR
from ..pipeline import DatasetInput, Step, validate_steps
from ..progress import Report, print_line
from ..records import (COMPLETED, FAILED, REUSED, RunResult, StepResult, metrics_line,
                       outcome_line)
from ..run_context import STEP_SPEC_ENV_VAR
from .dataset_preparation import ensure_datasets
from .datasets import DatasetNotFoundError
from .fingerprint import LOCK_FILE, code_manifest, manifest_hash, step_fingerprint
from .local_run import ERROR_FILE
from .registry import LocalRegistry
from .reuse_keys import ReuseKeys, environment_part, input_parts, step_parts
from .runner_identity import runner_identity
from .runs import StepRecord
from .step_process import Interrupts, start_step, stop_step
from .step_spec import OUTPUT, InputSpec, StepSpec
from .workspace import LocalWorkspace

LOG_FILE = "log.txt"
EXIT_FAILURE = 1
LAUNCHER_FILE = Path(__file__).with_name("step_launcher.py")
WARM_START = "shared_code.warm_steps.client:start_warm_step"


class LocalPipelineRunner:
    """Runs one model's steps in the local workspace, printing progress as it goes."""

    def __init__(self, config: ModelConfig, steps: Sequence[Step],  # pylint: disable=too-many-arguments
                 workspace: LocalWorkspace | None = None, reuse: bool = True,
                 report: Report = print_line,
                 experiment_name: str | None = None):
        self.config, self.steps, self.reuse = config, list(steps), reuse
        self.workspace = workspace or LocalWorkspace()
        self.report = report
        self.layout = config.layout
        self.experiment_name = experiment_name or config.model_name
        self.interrupts = Interrupts()
        self.keys = ReuseKeys(self.workspace.store, repo_root=self.layout.folder.parent)
        self._environment: dict = {}

    def run(self) -> RunResult:
        """Prepare datasets, then run (or reuse) each step in order; stop at the first failure.
        The run is recorded first, so a missing dataset fails it like a failing step."""
        check_model_folder(self.config)
        validate_steps(self.steps, self.layout.script_steps)
        runs = self.workspace.runs
        runs.fail_abandoned_runs()
        code = model_code_paths(self.layout.folder, REPO_ROOT)
        properties = {**git_properties(REPO_ROOT, code), **runner_identity()}
        run_id = runs.start_run(self.config.model_name, self.experiment_name, properties)
        self.report(f"run {run_id}: {self.config.folder.name} "
                    f"({' -> '.join(s.name for s in self.steps)}), workspace {self.workspace.root}")
        result = RunResult(run_id=run_id, status=COMPLETED)
        with self.interrupts.installed():
            try:
                ensure_datasets(self.config, self.steps, self.workspace, self.report, run_id)
                common = self._common_code()
                produced: dict[tuple[str, str], tuple[str, str]] = {}
                for index, step in enumerate(self.steps, start=1):
                    step_result = self._run_step(run_id, step, f"[{index}/{len(self.steps)}]",
                                                 common, produced, properties)
                    result.steps.append(step_result)
                    if step_result.status == FAILED:
                        result.status = FAILED
                        result.error = f"step '{step.name}' failed: {step_result.error}"
                        result.user_error = step_result.return_code == EXIT_USER_ERROR
                        break
            except DatasetNotFoundError as error:
                result.status, result.error, result.user_error = FAILED, str(error), True
            except BaseException as error:
                runs.end_run(run_id, FAILED, "interrupted" if isinstance(error, KeyboardInterrupt)
                             else f"{type(error).__name__}: {error}")
                raise
        runs.end_run(run_id, result.status, result.error)
        return result

    def _common_code(self) -> str:
        """The common code hash; its manifest and environment kept for --explain."""
        manifest = code_manifest(self.layout, {s.script_name for s in self.steps})
        common = manifest_hash(manifest)
        self.keys.save_manifest(common, manifest)
        self._environment = environment_part(
            manifest, [self.layout.relative(self.layout.conda_environment), LOCK_FILE.as_posix()])
        return common

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
        champion = LocalRegistry(self.workspace.models).find_champion(self.config.model_name)
        if champion is None:
            return "no champion"
        # A champion whose files went missing is compared anew, not by a reused evaluation.
        return f"{champion.id}:{champion.sha256}" + (":unusable" if champion.problem else "")

    def _run_step(self, run_id, step: Step, label, common, produced, properties) -> StepResult:
        runs = self.workspace.runs
        inputs, input_hashes = self._resolve_inputs(step, produced)
        script = self.layout.script(step.script_name)
        fingerprint = self._fingerprint(run_id, step, common, inputs, input_hashes)
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
            error = step_error(step_dir, return_code)
            runs.end_step(run_id, step.name, FAILED, duration, outputs, error=error)
            self.report(f"{label} {step.name}: FAILED after {duration:.2f}s\n    {error}\n"
                        f"    log: {step_dir / LOG_FILE}")
            return StepResult(step.name, FAILED, duration, error=error, return_code=return_code)
        return self._completed(run_id, step, label, outputs, produced, duration)

    def _fingerprint(self, run_id, step: Step, common: str, inputs, input_hashes) -> str:
        """The step's fingerprint; the parts it is made of are kept for --explain."""
        script = self.layout.script(step.script_name)
        champion = self._champion_identity(step)
        self.keys.save_parts(run_id, step.name, step_parts(
            script=(self.layout.relative(script), file_sha256(script)), code=common,
            environment=self._environment, arguments=step.arguments,
            inputs=input_parts(step.inputs, inputs, input_hashes), champion=champion,
            reuse={"step": step.reuse, "run": self.reuse}))
        return step_fingerprint(common, script, step.arguments, input_hashes, champion)

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
        return execute_step(script, step.arguments, spec_file, self.workspace.root,
                            self.interrupts)


def step_environment(spec_file: Path, workspace_root: Path) -> dict:
    """The variables a step starts with: the runner's, and where its spec and workspace are."""
    return {**os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                        os.environ.get("PYTHONPATH")])),
            STEP_SPEC_ENV_VAR: str(spec_file),
            WORKSPACE_ENV_VAR: str(workspace_root),
            "MPLBACKEND": "Agg",
            # Unbuffered: a crash's traceback comes after what the step printed, last.
            "PYTHONUNBUFFERED": "1"}


def execute_step(script: Path, arguments, spec_file: Path, workspace_root: Path,
                 interrupts: Interrupts) -> int:
    """Run a step's script in a process of its own, its output to its log; its exit status."""
    command = step_command(script, arguments)
    process = None
    with open(spec_file.parent / LOG_FILE, "wb") as log:
        try:
            with interrupts.held():  # an interruption waits until process is set
                process = step_starter()(command, REPO_ROOT,
                                         step_environment(spec_file, workspace_root), log)
            return process.wait()
        except BaseException:
            if process is not None:  # Ctrl-C, SIGTERM, or a runner that fails
                stop_step(process)
            raise


@functools.cache
def step_starter():
    """start_step, or where the project has shared_code/warm_steps, its warm start (Linux: a
    step forked from a server that has imported what the model's steps import)."""
    return load_optional(WARM_START, "steps start cold") or start_step


def step_command(script: Path, arguments) -> list[str]:
    """The command that runs a script step: the launcher by its path (step_launcher.py)."""
    return [sys.executable, str(LAUNCHER_FILE), str(script), *arguments]


def step_error(step_dir: Path, return_code: int) -> str:
    """The step's own error message, else the last line of its log."""
    error_file = step_dir / ERROR_FILE
    if error_file.is_file():
        return error_file.read_text(encoding="utf-8").strip()
    log = step_dir / LOG_FILE
    text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    lines = text.strip().splitlines()
    return lines[-1] if lines else f"the step exited with code {return_code} and printed nothing"


def print_summary(result: RunResult, report: Report = print_line) -> None:
    """The metrics each step logged, then the outcome."""
    for line in filter(None, map(metrics_line, result.steps)):
        report(line)
    report(outcome_line(result))
