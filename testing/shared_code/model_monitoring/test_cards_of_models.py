"""Every registered version of each model has its card, written by its real pipeline's
registration, naming the hashes of the data it was trained and tested on."""
import json

import pytest

from tested_models import model_folders_under_test
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.model_monitoring.card_store import FACTS_FILE, HTML_FILE, card_folder

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("folder", [f.name for f in model_folders_under_test()])
def test_the_pipelines_registration_wrote_the_card_with_the_data_hashes(request, folder):
    root = request.getfixturevalue(f"{folder}_workspace")
    workspace = LocalWorkspace(root)
    try:
        versions = workspace.models.list()
        hashes = {d.id: d.content_sha256 for d in workspace.datasets.list()}
    finally:
        workspace.close()
    assert versions
    for record in versions:
        cards = card_folder(root, record.name, record.version)
        card = json.loads((cards / FACTS_FILE).read_text(encoding="utf-8"))
        assert card["model"]["sha256"] == record.sha256
        named = {d["id"]: d["sha256"] for d in card["datasets"]}
        assert named and named == {i: hashes[i] for i in named}
        assert {d["usage"] for d in card["datasets"]} == {"training_data", "testing_data"}
        assert card["evaluation"]["reason"] and card["plots"] and card["schema"]
        assert card["warnings"] == [] and card["notes"] == []
        html = (cards / HTML_FILE).read_text(encoding="utf-8")
        assert all(sha256 in html for sha256 in named.values())
