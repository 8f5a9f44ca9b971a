"""A model's one real pipeline run per test session, shared by the session's xdist workers.

Each model's integration tests (the model kit, its notebook, its card, its own tests) read one
trained workspace. Made per worker, a hundred models' pipelines ran about twice in a
two-worker `tox`; made here, the first worker to ask runs it and the others wait for its
outcome, the pattern xdist documents for session fixtures that must run once (a folder that
every worker of the session sees, and a claim only one can make).
"""
import os
import pickle
from pathlib import Path
from typing import Callable

from process_helpers import wait_for

from shared_code.amltoolbox.records import RunResult

# An upper bound on a loaded machine for another worker's pipeline run, not a pace.
FIRST_RUN_PATIENCE_SECONDS = 900


def session_folder(base_temp: Path) -> Path:
    """A folder every worker of this session sees: under xdist each worker's base temp is
    <session>/popen-gwN, so their parent; without xdist, the base temp itself."""
    return base_temp.parent if os.environ.get("PYTEST_XDIST_WORKER") else base_temp


def first_run_once(model: str, folder: Path,
                   run: Callable[[str, Path], RunResult]) -> tuple[Path, RunResult]:
    """`run(model, root)` once per `folder`, whichever worker asks first: the workspace root
    and the run's result, to every worker that asks. A run that raised in one worker fails the
    others' with its message."""
    root, outcome = folder / f"{model}_workspace", folder / f"{model}_first_run.pickle"
    if not _claimed(folder / f"{model}_first_run.claim"):
        wait_for(outcome.exists, f"{model}'s first pipeline run, in another worker",
                 FIRST_RUN_PATIENCE_SECONDS)
        result = pickle.loads(outcome.read_bytes())
        if isinstance(result, str):
            raise AssertionError(f"{model}'s first pipeline run failed in another worker: "
                                 f"{result}")
        return root, result
    try:
        result = run(model, root)
    except BaseException as error:
        _publish(outcome, f"{type(error).__name__}: {error}")
        raise
    _publish(outcome, result)
    return root, result


def _claimed(claim: Path) -> bool:
    """Whether this process made the claim (created the file first)."""
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _publish(outcome: Path, value) -> None:
    """Write the outcome whole before its name appears: a waiting worker never reads half."""
    staging = outcome.with_suffix(f".{os.getpid()}.staging")
    staging.write_bytes(pickle.dumps(value))
    os.replace(staging, outcome)
