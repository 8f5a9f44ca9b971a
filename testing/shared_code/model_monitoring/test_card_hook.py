"""Every local registration writes the card with the model; nothing about the card ever
fails or undoes a registration."""
import json

import pytest

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.local import registration_hooks
from shared_code.amltoolbox.local.models import model_problem
from shared_code.amltoolbox.local.registry import LocalRegistry
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.promotion.registry import RegistrationRequest
from shared_code.model_monitoring import card_hook
from shared_code.model_monitoring.card_store import FACTS_FILE, card_folder


@pytest.fixture(name="register")
def fixture_register(recorded, tmp_path):
    """Register new files as the next version of model_a, as register.py does; the version."""
    def register(content: bytes = b"a better model") -> str:
        model = tmp_path / f"model-{len(content)}"
        model.mkdir(exist_ok=True)
        (model / "model.pkl").write_bytes(content)
        workspace = LocalWorkspace(recorded.root)
        try:
            registration = LocalRegistry(workspace.models).register(RegistrationRequest(
                "model_a", model, tree_sha256(model), "a test model",
                lineage={"training_data": {"train_data": recorded.training},
                         "pipeline_run_id": recorded.run_id},
                expected_champion="model_a:1"))
            return registration.model_id
        finally:
            workspace.close()
    return register


def test_a_new_version_gets_its_card_beside_the_registry_not_in_its_files(register, recorded,
                                                                          capsys):
    model_id = register()
    assert model_id == "model_a:2"
    folder = card_folder(recorded.root, "model_a", 2)
    card = json.loads((folder / FACTS_FILE).read_text(encoding="utf-8"))
    assert card["model"]["id"] == "model_a:2" and card["datasets"][0]["id"] == recorded.training
    assert {p.name for p in folder.iterdir()} == {"card.json", "card.md", "card.html"}
    assert f"model card: {folder}" in capsys.readouterr().out
    workspace = LocalWorkspace(recorded.root)
    assert model_problem(workspace.models.get("model_a", 2)) is None  # its files untouched
    workspace.close()


def test_the_same_files_registered_again_write_no_new_card(register, recorded):
    register()
    written = card_folder(recorded.root, "model_a", 2) / FACTS_FILE
    written.write_text('{"kept": true}', encoding="utf-8")
    assert register() == "model_a:2"
    assert json.loads(written.read_text(encoding="utf-8")) == {"kept": True}


def test_a_card_that_fails_is_a_warning_and_the_version_stays_registered(register, recorded,
                                                                         mocker, capsys):
    mocker.patch.object(card_hook, "gather_card", side_effect=RuntimeError("disk full"))
    assert register() == "model_a:2"
    assert ("warning: model_a:2 is registered, but its model card was not written: "
            "RuntimeError: disk full") in capsys.readouterr().err
    assert not card_folder(recorded.root, "model_a", 2).exists()


def test_without_the_package_a_registration_says_in_one_line_what_it_did_not_make(
        register, monkeypatch, capsys):
    monkeypatch.setattr(registration_hooks, "AFTER_REGISTRATION",
                        {"shared_code.no_such_wing.card_hook": "model card"})
    assert register() == "model_a:2"
    assert capsys.readouterr().err.strip() == (
        "no model card for model_a:2: shared_code.no_such_wing.card_hook is not in this project")


def test_a_documentation_heading_missing_warns_naming_the_file_and_heading(register, mocker,
                                                                          capsys):
    from shared_code.model_monitoring.documentation import CardDocumentation
    mocker.patch("shared_code.model_monitoring.card_facts.card_documentation",
                 return_value=CardDocumentation(None, warnings=["doc.md: the heading "
                                                                "'## Contacts' is missing"]))
    assert register() == "model_a:2"
    assert "warning: doc.md: the heading '## Contacts' is missing" in capsys.readouterr().err
