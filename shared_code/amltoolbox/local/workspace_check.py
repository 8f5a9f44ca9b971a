"""Whether a local workspace is what its index says: the index itself, every registered file,
and runs left Running by a runner that has ended (`workspace check`)."""
from ..records import RUNNING
from .datasets import dataset_problem
from .models import model_problem
from .workspace import LocalWorkspace


def workspace_problems(workspace: LocalWorkspace) -> tuple[list[str], dict[str, int]]:
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
