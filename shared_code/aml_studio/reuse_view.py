"""Why each step of a run ran or was reused, as the run page shows it (local/explain.py)."""
from dataclasses import dataclass

from shared_code.amltoolbox.local.explain import explain_run, key_lines
from shared_code.amltoolbox.local.workspace import LocalWorkspace


@dataclass(frozen=True)
class ReuseReason:
    """One step: the verdict, what differs from the run it would otherwise have reused, and
    the parts of its reuse key, one line each."""
    verdict: str
    changes: list[str]
    key: list[str]


def reuse_reasons(workspace: LocalWorkspace, run_id: str) -> dict[str, ReuseReason]:
    """Each step's reason, by step name."""
    return {step.step: ReuseReason(step.verdict, step.changes,
                                   key_lines(step.parts, step.code_files) if step.parts else [])
            for step in explain_run(workspace, run_id).steps}
