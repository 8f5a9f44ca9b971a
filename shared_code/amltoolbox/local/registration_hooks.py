"""Optional work done after a local registration by wings, named here and loaded then: one
absent is skipped with one line, one that fails is a warning; neither undoes the registration."""
import sys
from pathlib import Path

from ..loading import load_optional

# module:function: what it makes (for the line printed when the module is absent). Each
# function is f(workspace_root: Path, model_id: str).
AFTER_REGISTRATION = {"shared_code.model_monitoring.card_hook:after_registration": "model card"}


def run_after_registration(workspace_root: Path, model_id: str) -> None:
    """Call every hook for the new version `model_id` of the workspace at `workspace_root`."""
    for reference, what in AFTER_REGISTRATION.items():
        after_registration = load_optional(reference, f"no {what} for {model_id}")
        if after_registration is None:
            continue
        try:
            after_registration(Path(workspace_root), model_id)
        except Exception as error:  # pylint: disable=broad-exception-caught  # never fails a registration
            print(f"warning: {model_id} is registered, but its {what} was not written: "
                  f"{type(error).__name__}: {error}", file=sys.stderr)
