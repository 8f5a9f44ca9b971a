"""The card registered with a model in Azure ML (SDK v1 and v2): written into the staged copy
of the model's files before Model.register / MLClient uploads them, so that the card and the
property naming it arrive in the same version; called by name by the core's
amltoolbox/promotion/registered_extras.py.

Made from what the registration records: its request (name, description, tags, metrics,
sha256, lineage), evaluate's summary.json, the registered datasets as the workspace describes
them, and the model folder in the step's snapshot (documentation, entry script schema,
conda file). What Azure ML keeps elsewhere is named, not copied: the evaluation plots (on
the evaluate step's run) and who registered the version (its 'created by').
"""
import json
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from shared_code.amltoolbox.model_io import CARD_FOLDER
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.promotion.registry import RegistrationRequest

from .card_facts import (TESTING_DATA, TRAINING_DATA, card_of, evaluation_facts, folder_facts,
                         training_data_note)
from .card_render import card_html, card_markdown
from .card_store import FACTS_FILE, HTML_FILE, MARKDOWN_FILE

CARD_PROPERTY = "model_card"  # the registered version's property: the card's path in its files


def registered_dataset_facts(describe_dataset: Callable[[str], dict], usage: str,
                             input_name: str, dataset_id: str) -> dict:
    """One dataset the model was trained or tested on, as the workspace describes it."""
    facts = {"usage": usage, "input": input_name, "id": dataset_id}
    try:
        described = describe_dataset(dataset_id)
    except Exception as error:  # pylint: disable=broad-exception-caught  # a card never fails on it
        return {**facts, "note": f"not described by the workspace ({type(error).__name__}: "
                                 f"{error})"}
    facts.update(type=described.get("type"), description=described.get("description"),
                 sha256=described.get("sha256") or "not recorded")
    return facts


def gather_registered_card(request: RegistrationRequest, model_id: str,
                           describe_dataset: Callable[[str], dict],
                           repo_root: Path = REPO_ROOT) -> dict:
    """The card of the model `request` registers as `model_id` (the version expected)."""
    notes: list[str] = []
    lineage = request.lineage
    name, _, version = model_id.rpartition(":")
    datasets = [registered_dataset_facts(describe_dataset, usage, input_name, dataset_id)
                for usage in (TRAINING_DATA, TESTING_DATA)
                for input_name, dataset_id in (lineage.get(usage) or {}).items()]
    training_data_note(lineage, notes)
    evaluation = evaluation_facts(request.summary or None, notes)
    found = folder_facts(request.name, repo_root, notes)
    notes.append(f"the evaluation plots are on the evaluate step's run of pipeline run "
                 f"{lineage.get('pipeline_run_id') or request.run_id} in Azure ML, and who "
                 "registered the version is its 'created by' there")
    return card_of(
        {"id": model_id, "name": name, "version": int(version),
         "description": request.description, "sha256": request.sha256,
         "tags": {key: str(value) for key, value in request.tags.items()}},
        lineage, found, datasets=datasets, evaluation=evaluation, plots=[],
        registered={"at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "by": None, "run_id": request.run_id},
        notes=notes)


def write_registered_card(request: RegistrationRequest, staged: Path, model_id: str,
                          describe_dataset: Callable[[str], dict]) -> dict[str, str]:
    """Write the card into `staged`/model_card/ (whole or not at all); the property naming
    it, its path in the registered files."""
    card = gather_registered_card(request, model_id, describe_dataset)
    staged = Path(staged)
    writing = Path(tempfile.mkdtemp(prefix=".card-", dir=staged))
    try:
        (writing / FACTS_FILE).write_text(json.dumps(card, indent=2, sort_keys=True),
                                          encoding="utf-8")
        (writing / MARKDOWN_FILE).write_text(card_markdown(card), encoding="utf-8")
        (writing / HTML_FILE).write_text(card_html(card, staged), encoding="utf-8")
        writing.rename(staged / CARD_FOLDER)
    finally:
        shutil.rmtree(writing, ignore_errors=True)
    for warning in card["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    location = f"{staged.name}/{CARD_FOLDER}/{MARKDOWN_FILE}"
    print(f"model card: {location}, registered with the model's files")
    return {CARD_PROPERTY: location}
