"""A model version's card and the latest checks of it (drift, ...), as the studio shows them.

The card is the one written at registration (shared_code/model_monitoring, a package beside
the core that the studio may read); the studio only reads it, so a version registered
without one says how to make it.
"""
from dataclasses import dataclass

from shared_code.amltoolbox.local.model_checks import CheckVerdict, latest_checks
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.model_monitoring.card_render import card_html_fragment
from shared_code.model_monitoring.card_store import read_card


@dataclass(frozen=True)
class CardPage:
    """One version's card as HTML (None when none was written) and its latest checks."""
    model_id: str
    html: str | None
    checks: list[CheckVerdict]


def card_page(workspace: LocalWorkspace, name: str, version: int, image_src) -> CardPage:
    """The card of name:version (ModelNotFoundError when no such version is registered)."""
    record = workspace.models.get(name, version)
    card = read_card(workspace.root, record.name, record.version)
    html = card_html_fragment(card, image_src) if card is not None else None
    return CardPage(record.id, html, latest_checks(workspace.store, record.id))


def version_checks(workspace: LocalWorkspace, model_ids: list[str]) -> dict[str, list]:
    """The latest check of each kind beside each version, by 'name:version'."""
    return {model_id: latest_checks(workspace.store, model_id) for model_id in model_ids}
