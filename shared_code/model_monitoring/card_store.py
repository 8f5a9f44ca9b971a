"""Model cards kept in the local workspace beside the registry, one folder per version:
model_cards/<name>/<version>/ with card.json (the facts), card.md and card.html.

Not inside the model's own folder: the registry checks that folder against the sha256 it
registered. A card appears whole or not at all (written in a staging folder, then renamed).
"""
import json
import tempfile
from pathlib import Path

from shared_code.amltoolbox.staging import replace_folder

from .card_render import card_html, card_markdown

CARDS_DIR = "model_cards"
FACTS_FILE, MARKDOWN_FILE, HTML_FILE = "card.json", "card.md", "card.html"


def card_folder(workspace_root: Path, name: str, version: int) -> Path:
    """Where the card of name:version is kept."""
    return Path(workspace_root) / CARDS_DIR / name / str(version)


def write_card(workspace_root: Path, card: dict) -> Path:
    """Write the card's facts, Markdown and HTML; return its folder."""
    model = card["model"]
    folder = card_folder(workspace_root, model["name"], model["version"])
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".card-", dir=folder.parent))
    (staging / FACTS_FILE).write_text(json.dumps(card, indent=2, sort_keys=True),
                                      encoding="utf-8")
    (staging / MARKDOWN_FILE).write_text(card_markdown(card), encoding="utf-8")
    (staging / HTML_FILE).write_text(card_html(card, workspace_root), encoding="utf-8")
    replace_folder(folder, staging)
    return folder


def read_card(workspace_root: Path, name: str, version: int) -> dict | None:
    """The facts of the card written at registration, or None when there is none."""
    facts = card_folder(workspace_root, name, version) / FACTS_FILE
    if not facts.is_file():
        return None
    return json.loads(facts.read_text(encoding="utf-8"))
