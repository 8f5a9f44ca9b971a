"""The card registered with a model in Azure ML (SDK v1, azureml.core.Model faked at the
network boundary as testing/shared_code/amltoolbox/azure/test_registry.py fakes it): made
before the registration from what it records, uploaded with the model's files, named in its
properties; a card that cannot be made never fails the registration."""
import json
import sys
import types
from pathlib import Path

import pytest

from shared_code.amltoolbox.azure.registry import AzureRegistry
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.model_io import CARD_FOLDER, model_sha256
from shared_code.amltoolbox.promotion.registry import SHA256_PROPERTY, RegistrationRequest
from shared_code.model_monitoring import registered_card
from shared_code.model_monitoring.card_render import card_markdown
from shared_code.model_monitoring.registered_card import (CARD_PROPERTY,
                                                          gather_registered_card)

TRAINING, TESTING = "regression-diabetes-training-01", "regression-diabetes-testing-01"
LINEAGE = {"training_data": {"train_data": f"{TRAINING}:2"},
           "testing_data": {"test_data": f"{TESTING}:1"},
           "pipeline_run_id": "pipeline-run-1", "azureml.git.commit": "c0ffee"}


class WebserviceException(Exception):
    """Stands in for azureml.exceptions.WebserviceException."""


def described(dataset_id: str) -> dict:
    """A workspace that knows the training dataset only."""
    if dataset_id.startswith(TRAINING):
        return {"type": "tabular", "description": "diabetes", "sha256": "d" * 64}
    raise LookupError(f"no dataset {dataset_id}")


def _model_folder(parent: Path) -> Path:
    folder = parent / "model"
    folder.mkdir(parents=True)
    (folder / "model.pkl").write_bytes(b"model bytes")
    return folder


def _request(model_dir: Path, summary: dict) -> RegistrationRequest:
    sha256 = tree_sha256(model_dir)
    return RegistrationRequest(
        name="model_a", model_dir=model_dir, sha256=sha256, description="diabetes progression",
        tags={"rmse": 55.2}, properties={"rmse": 55.2, SHA256_PROPERTY: sha256},
        lineage=LINEAGE, run_id="pipeline-run-1", expected_champion="model_a:1",
        summary=summary)


def test_the_card_is_made_from_what_the_registration_records(tmp_path, summary):
    request = _request(_model_folder(tmp_path), summary)
    card = gather_registered_card(request, "model_a:2", described)
    assert (card["model"]["id"], card["model"]["version"], card["model"]["folder"]) == (
        "model_a:2", 2, "model_a")
    assert card["model"]["sha256"] == request.sha256
    training, testing = card["datasets"]
    assert (training["id"], training["sha256"]) == (f"{TRAINING}:2", "d" * 64)
    assert testing["id"] == f"{TESTING}:1" and "LookupError" in testing["note"]
    assert card["evaluation"]["champion"]["metrics"] == summary["champion"]["metrics"]
    assert card["code"]["commit"] == "c0ffee"
    assert card["schema"]["example_request"] and card["documentation"]["sections"]
    assert any("evaluate step's run of pipeline run pipeline-run-1" in n for n in card["notes"])
    markdown = card_markdown(card)
    assert f"{TRAINING}:2, tabular, sha256 {'d' * 64}" in markdown
    assert "| rmse | 55.2 | 60.1 | 74.9 |" in markdown


def test_a_summary_with_the_flag_alone_makes_a_card_that_says_so(tmp_path):
    card = gather_registered_card(_request(_model_folder(tmp_path),
                                           {"register_trained_model": True}),
                                  "model_a:1", described)
    assert any("holds only register_trained_model" in note for note in card["notes"])


@pytest.fixture(name="azure_model")
def fixture_azure_model(monkeypatch, mocker, tmp_path):
    """azureml.core.Model faked, model_a:1 its latest version; the working directory is the
    step's snapshot. Model.register records what it would upload."""
    model_class = mocker.Mock(return_value=types.SimpleNamespace(name="model_a", version=1))
    monkeypatch.setitem(sys.modules, "azureml.core", types.SimpleNamespace(Model=model_class))
    monkeypatch.setitem(sys.modules, "azureml.exceptions",
                        types.SimpleNamespace(WebserviceException=WebserviceException))
    cwd = tmp_path / "snapshot"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    uploaded = {}

    def register(**kwargs):
        folder = cwd / kwargs["model_path"]
        uploaded.update(kwargs, files={p.relative_to(folder.parent).as_posix(): p.read_bytes()
                                       for p in folder.rglob("*") if p.is_file()},
                        sha256=model_sha256(folder))
        return types.SimpleNamespace(name="model_a", version=2)
    model_class.register.side_effect = register
    model_class.uploaded = uploaded
    return model_class


def test_the_card_is_uploaded_with_the_models_files_and_named_in_its_properties(
        azure_model, mocker, tmp_path, summary):
    mocker.patch.object(AzureRegistry, "describe_dataset", side_effect=described)
    request = _request(_model_folder(tmp_path / "downloads"), summary)
    assert AzureRegistry("ws").register(request).model_id == "model_a:2"
    uploaded = azure_model.uploaded
    assert uploaded["properties"][CARD_PROPERTY] == f"model/{CARD_FOLDER}/card.md"
    assert {"model/model.pkl", f"model/{CARD_FOLDER}/card.json", f"model/{CARD_FOLDER}/card.md",
            f"model/{CARD_FOLDER}/card.html"} == set(uploaded["files"])
    card = json.loads(uploaded["files"][f"model/{CARD_FOLDER}/card.json"])
    assert card["model"]["id"] == "model_a:2"  # the version after the latest, model_a:1
    # The recorded sha256 is still the model's: the card beside its files is not covered.
    assert uploaded["properties"][SHA256_PROPERTY] == request.sha256 == uploaded["sha256"]
    assert not list(Path.cwd().iterdir())  # the staged copy is gone


def test_a_card_that_cannot_be_made_leaves_the_registration_whole(azure_model, mocker, tmp_path,
                                                                 capsys, summary):
    mocker.patch.object(registered_card, "card_html", side_effect=OSError("disk full"))
    request = _request(_model_folder(tmp_path / "downloads"), summary)
    assert AzureRegistry("ws").register(request).model_id == "model_a:2"
    uploaded = azure_model.uploaded
    assert set(uploaded["files"]) == {"model/model.pkl"}  # no half-written card
    assert CARD_PROPERTY not in uploaded["properties"]
    assert ("warning: model_a:2 goes to the registry without its model card: OSError: disk full"
            in capsys.readouterr().err)
