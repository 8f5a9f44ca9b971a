"""A model folder written from the document alone (summary.json with only the flag, no
model_info.json, no documentation, a plain entry script) is registered with a card that says
what it did not have; a drift check says in one line why it cannot be made."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_document_model import NAME, write_document_model
from testing_helpers import copy_repository, subprocess_env

from shared_code.model_monitoring.card_store import FACTS_FILE, card_folder

pytestmark = pytest.mark.integration


def _cli(repo: Path, workspace: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "shared_code.amltoolbox", *argv], cwd=repo,
                          env=subprocess_env(repo, workspace), capture_output=True, text=True,
                          timeout=900, check=False)


def test_the_document_models_card_lists_what_was_not_recorded(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    folder = write_document_model(repo)
    workspace = tmp_path / "workspace"
    ran = _cli(repo, workspace, "run", folder.name)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    card = json.loads((card_folder(workspace, NAME, 1) / FACTS_FILE).read_text(encoding="utf-8"))
    notes = " | ".join(card["notes"] + card["warnings"])
    assert "the training dataset was not recorded" in notes
    assert "holds only register_trained_model" in notes
    assert f"{folder.name}.md does not exist" in notes
    shown = _cli(repo, workspace, "models", "card", f"{NAME}:1")
    assert shown.returncode == 0 and "## What was not recorded" in shown.stdout
    drift = _cli(repo, workspace, "drift", NAME, "--input", str(folder / "data" / "testing"))
    assert drift.returncode == 2 and "records no training dataset" in drift.stderr
