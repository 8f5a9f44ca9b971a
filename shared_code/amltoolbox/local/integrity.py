"""Whether a local workspace is what its index says: the index itself, every registered file
(against the sha256 recorded when it was registered), and runs left Running by a runner
that has ended."""
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import RUNNING

if TYPE_CHECKING:  # models.py uses files_problem
    from .datasets import DatasetRecord
    from .models import ModelRecord
    from .workspace import LocalWorkspace


def files_problem(what: str, path: Path, recorded_sha256: str) -> str | None:
    """What is wrong with the registered files of `what` in `path`, or None."""
    # Imported here: models.py imports this module, and listing models reads no file.
    from ..hashing import tree_sha256  # pylint: disable=import-outside-toplevel
    from ..staging import holds_files  # pylint: disable=import-outside-toplevel
    if not holds_files(path):
        return f"{what}'s registered files are missing ({path})"
    actual = tree_sha256(path)
    if actual != recorded_sha256:
        return (f"{what}'s files in {path} were changed after registration (sha256 "
                f"{actual[:12]}, registered {recorded_sha256[:12]})")
    return None


def model_problem(record: "ModelRecord") -> str | None:
    """What is wrong with a registered model version's files, or None."""
    return files_problem(f"model {record.id}", record.path, record.sha256)


def dataset_problem(record: "DatasetRecord") -> str | None:
    """What is wrong with a registered dataset version's files, or None (a single registered
    file is hashed as the file itself, as datasets.py hashed it)."""
    what = f"dataset {record.id}"
    problem = files_problem(what, record.path, record.content_sha256)
    entries = list(record.path.iterdir()) if problem and record.path.is_dir() else []
    if len(entries) == 1 and entries[0].is_file():
        return files_problem(what, entries[0], record.content_sha256)
    return problem


def workspace_problems(workspace: "LocalWorkspace") -> tuple[list[str], dict[str, int]]:
    """Everything wrong with `workspace`, one line each, and how many of each kind were checked.

    A damaged index raises store.WorkspaceError before anything else is read.
    """
    problems = [f"{workspace.store.index_file}: {line}"
                for line in workspace.store.integrity_problems()]
    models, datasets = workspace.models.list(), workspace.datasets.list()
    problems += [f"{problem}: run the model's pipeline with --no-reuse to register it again"
                 for problem in map(model_problem, models) if problem]
    problems += [f"{problem}: registering the same files again restores them (python -m "
                 "shared_code.amltoolbox datasets register ...)"
                 for problem in map(dataset_problem, datasets) if problem]
    abandoned = workspace.runs.abandoned_runs()
    problems += [f"run {run_id} is {RUNNING}, but its runner has ended: the next run (or "
                 "`runs list`) records it as Failed" for run_id in abandoned]
    return problems, {"model versions": len(models), "dataset versions": len(datasets)}
