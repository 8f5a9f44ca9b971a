"""The card written with every local registration: called by name, after the registration
commits, by the core's amltoolbox/local/registration_hooks.py."""
import getpass
import sys
from pathlib import Path

from shared_code.amltoolbox.local.workspace import LocalWorkspace

from .card_facts import gather_card
from .card_store import write_card


def registering_user() -> str | None:
    """Who registers: the account the registering process runs as."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container), nothing in the env
        return None


def after_registration(workspace_root: Path, model_id: str) -> Path:
    """Write the card of the new version `model_id`; documentation warnings go to stderr."""
    name, _, version = model_id.rpartition(":")
    workspace = LocalWorkspace(workspace_root)
    try:
        record = workspace.models.get(name, int(version))
        card = gather_card(workspace, record, registered_by=registering_user())
        folder = write_card(workspace.root, card)
    finally:
        workspace.close()
    for warning in card["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"model card: {folder}")
    return folder
