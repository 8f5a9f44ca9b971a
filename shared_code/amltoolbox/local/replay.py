"""`replay RUN_ID STEP [--debug]`: one step of a past run again, as a new run linked to it,
with the step's current script on exactly the inputs its reuse key recorded (reuse_keys.py):
datasets and earlier outputs checked unchanged, the arguments, the champion pinned. With
`debug` it runs in this process, so a breakpoint() stops there."""
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..git_info import git_properties
from ..hashing import tree_sha256
from ..paths import REPO_ROOT, WORKSPACE_ENV_VAR
from ..records import COMPLETED, FAILED
from .explain import REPLAY_OF, REPLAYED_STEP
from .pinned_champion import PINNED_CHAMPION, pinned_champion
from .reuse_keys import ReuseKeys
from .runner import LOG_FILE, execute_step, step_error
from .runner_identity import runner_identity
from .runs import RunRecord
from .step_process import Interrupts
from .step_spec import OUTPUT, InputSpec, StepSpec
from .workspace import LocalWorkspace



class ReplayError(UserError):
    """A step cannot be replayed as it ran: its record or one of its inputs is missing."""


@dataclass
class ReplayResult:
    """The new run, how the step went, and whether each output equals the original's."""
    run_id: str
    status: str
    duration: float
    same_outputs: dict[str, bool]
    error: str | None = None


def _original_step(run: RunRecord, step: str):
    for record in run.steps:
        if record.step == step:
            return record
    raise ReplayError(f"run {run.id} has no step '{step}' (it has: "
                      f"{', '.join(s.step for s in run.steps) or 'none'})")


def _inputs(workspace: LocalWorkspace, run: RunRecord, parts: dict) -> dict[str, InputSpec]:
    """The step's inputs as it had them, each checked to hold the content it held."""
    inputs = {}
    for name, source in parts["inputs"].items():
        if "dataset" in source:
            record = workspace.datasets.get(source["dataset"], source["version"])
            if record.content_sha256 != source["sha256"]:
                raise ReplayError(f"dataset {record.name}:{record.version} no longer holds the "
                                  f"content input '{name}' had: it cannot be replayed")
            inputs[name] = InputSpec(record.type, str(record.path), record.name, record.version)
            continue
        upstream = _original_step(run, source["step"])
        path = upstream.outputs.get(source["output"])
        if path is None or not Path(path).is_dir() or tree_sha256(Path(path)) != source["sha256"]:
            raise ReplayError(f"output {source['output']} of step {source['step']} (input "
                              f"'{name}') is gone or changed since run {run.id}: run the "
                              "pipeline again instead")
        inputs[name] = InputSpec(OUTPUT, path)
    return inputs


def replay_step(workspace: LocalWorkspace, run_id: str, step: str, debug: bool = False,  # pylint: disable=too-many-arguments
                report=print, repo_root: Path = REPO_ROOT) -> ReplayResult:
    """Replay step `step` of run `run_id` as a new run; how it went. The step's script is
    found in `repo_root`, where the run recorded it."""
    run = workspace.runs.get(run_id)
    original = _original_step(run, step)
    parts = ReuseKeys(workspace.store).parts(run.id, step)
    if parts is None:
        raise ReplayError(f"run {run.id} was recorded before reuse keys were kept: the inputs "
                          f"of its step '{step}' are not known; run the pipeline again instead")
    inputs = _inputs(workspace, run, parts)
    properties = {**git_properties(REPO_ROOT), **runner_identity(), REPLAY_OF: run.id,
                  REPLAYED_STEP: step}
    champion = pinned_champion(parts.get("champion"))
    if champion is not None:
        properties[PINNED_CHAMPION] = champion
    new_run = workspace.runs.start_run(run.model, run.experiment, properties)
    report(f"run {new_run}: replaying step {step} of run {run.id} on its inputs"
           f"{' in this process (--debug)' if debug else ''}")
    step_dir = workspace.runs.step_dir(new_run, step)
    spec = StepSpec(run_id=new_run, step=step, step_dir=str(step_dir),
                    workspace=str(workspace.root), model=run.model, inputs=inputs,
                    outputs={name: str(step_dir / "outputs" / name) for name in original.outputs},
                    arguments=list(parts["arguments"]), properties=properties)
    script = Path(repo_root) / parts["script"]["path"]
    workspace.runs.start_step(new_run, step, None)
    started = time.perf_counter()
    try:
        code = (_run_here if debug else _run_apart)(script, spec, workspace.root)
    except BaseException:
        workspace.runs.end_step(new_run, step, FAILED, time.perf_counter() - started,
                                error="interrupted")
        workspace.runs.end_run(new_run, FAILED, "interrupted")
        raise
    return _finish(workspace, spec, original, code, time.perf_counter() - started, report)


def _run_apart(script: Path, spec: StepSpec, workspace_root: Path) -> int:
    interrupts = Interrupts()
    with interrupts.installed():
        return execute_step(script, spec.arguments, spec.write(), workspace_root, interrupts)


def _run_here(script: Path, spec: StepSpec, workspace_root: Path) -> int:
    """The step in this process, as its launcher runs it; its exit status. What it changes
    of the process (environment, sys.argv, sys.path, __main__, the cached run) is put back."""
    from .. import run_context
    from .step_launcher import launch
    saved = (dict(os.environ), list(sys.argv), list(sys.path), list(sys.meta_path),
             sys.modules.get("__main__"))
    os.environ.update({run_context.STEP_SPEC_ENV_VAR: str(spec.write()),
                       WORKSPACE_ENV_VAR: str(workspace_root), "MPLBACKEND": "Agg"})
    run_context.current_runtime.cache_clear()
    try:
        launch(str(script), list(spec.arguments))
        return 0
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    finally:
        os.environ.clear()
        os.environ.update(saved[0])
        sys.argv[:], sys.path[:], sys.meta_path[:] = saved[1], saved[2], saved[3]
        if saved[4] is not None:
            sys.modules["__main__"] = saved[4]
        run_context.current_runtime.cache_clear()


def _finish(workspace, spec: StepSpec, original, code: int, duration: float,  # pylint: disable=too-many-arguments
            report) -> ReplayResult:
    runs, step_dir = workspace.runs, Path(spec.step_dir)
    if code != 0:
        error = step_error(step_dir, code)
        runs.end_step(spec.run_id, spec.step, FAILED, duration, spec.outputs, error=error)
        runs.end_run(spec.run_id, FAILED, f"step '{spec.step}' failed: {error}")
        report(f"{spec.step}: FAILED after {duration:.2f}s\n    {error}\n"
               f"    log: {step_dir / LOG_FILE}")
        return ReplayResult(spec.run_id, FAILED, duration, {}, error)
    hashes = {name: tree_sha256(Path(path)) for name, path in spec.outputs.items()}
    runs.end_step(spec.run_id, spec.step, COMPLETED, duration, spec.outputs, hashes)
    runs.end_run(spec.run_id, COMPLETED)
    same = {name: original.output_hashes.get(name) == sha for name, sha in hashes.items()}
    report(f"{spec.step}: completed in {duration:.2f}s")
    for name, path in spec.outputs.items():
        report(f"  output {name}: {path} ({'the same as' if same[name] else 'differs from'} "
               f"run {original.run_id}'s)")
    return ReplayResult(spec.run_id, COMPLETED, duration, same)
