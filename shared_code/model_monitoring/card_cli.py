"""models card NAME[:VERSION] [--html FILE | --md FILE]: the card written at registration, or,
for a version registered without one, a card gathered now from what was recorded."""
import os
import sys
import tempfile
from pathlib import Path

from shared_code.amltoolbox.local.workspace import LocalWorkspace

from .card_facts import gather_card
from .card_render import card_html, card_markdown
from .card_store import read_card
from .model_ref import registered_name, split_reference


def load_card(workspace: LocalWorkspace, reference: str) -> dict:
    """The card of `reference` (NAME or NAME:VERSION): stored, or gathered now (said on
    stderr, with the documentation warnings)."""
    name, version = split_reference(reference, "a model")
    record = workspace.models.get(registered_name(workspace.models, name), version)
    card = read_card(workspace.root, record.name, record.version)
    if card is None:
        print(f"{record.id} was registered without a model card: this one is made now from "
              "what was recorded", file=sys.stderr)
        card = gather_card(workspace, record)
        for warning in card["warnings"]:
            print(f"warning: {warning}", file=sys.stderr)
    return card


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as open() would make it, not mkstemp's 0600
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def card_command(args) -> int:
    """Print the card as Markdown, or write it to --md or --html."""
    workspace = LocalWorkspace()
    try:
        card = load_card(workspace, args.model)
        if args.html:
            write_text(Path(args.html), card_html(card, workspace.root))
            print(f"wrote {args.html}")
        elif args.md:
            write_text(Path(args.md), card_markdown(card))
            print(f"wrote {args.md}")
        else:
            sys.stdout.write(card_markdown(card))
    finally:
        workspace.close()
    return 0
