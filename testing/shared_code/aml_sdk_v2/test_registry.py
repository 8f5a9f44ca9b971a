"""The SDK v2 model registry keeps the local registry's rules: the latest version is the
champion, a sha256 is registered once, a changed champion stops registration."""
import json
from pathlib import Path

import pytest

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from azure_v2_offline import FolderMLClient

from shared_code.aml_sdk_v2.registry import MlClientRegistry, model_folder_in
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.promotion.registry import ChampionChangedError, RegistrationRequest
from shared_code.amltoolbox.model_io import CARD_FOLDER, ModelFileError, model_sha256


@pytest.fixture(name="registry")
def fixture_registry(tmp_path):
    return MlClientRegistry(FolderMLClient(tmp_path / "workspace"))


def _model(folder, content: bytes):
    folder.mkdir(parents=True)
    (folder / "model.pkl").write_bytes(content)
    (folder / "model_info.json").write_text("{}")
    return folder


def test_no_champion_before_the_first_registration(registry):
    assert registry.find_champion("model_a") is None


def _request(model, expected_champion, **kwargs) -> RegistrationRequest:
    return RegistrationRequest(name="model_a", model_dir=model, sha256=tree_sha256(model),
                               expected_champion=expected_champion, **kwargs)


def test_a_registered_model_becomes_the_champion_with_its_files(registry, tmp_path):
    model = _model(tmp_path / "train" / "model", b"one")
    registration = registry.register(_request(
        model, None, description="a model", tags={"rmse": "1.0"}, properties={"rmse": 1.0},
        lineage={"training_data": {"train_data": "d:1"}}))
    assert (registration.model_id, registration.new) == ("model_a:1", True)
    (stored,) = registry.ml_client.models.list("model_a")
    assert stored.properties["sha256"] == tree_sha256(model)
    assert json.loads(stored.properties["training_data"]) == {"train_data": "d:1"}
    assert stored.tags == {"rmse": "1.0"} and stored.description == "a model"
    champion = registry.find_champion("model_a")
    assert champion.id == "model_a:1" and champion.sha256 == tree_sha256(model)
    assert (champion.path / "model.pkl").read_bytes() == b"one"


def test_the_same_model_is_never_registered_twice(registry, tmp_path):
    model = _model(tmp_path / "model", b"one")
    registry.register(_request(model, None))
    registration = registry.register(_request(model, "model_a:1"))
    assert (registration.model_id, registration.new) == ("model_a:1", False)


def test_a_model_compared_with_an_older_champion_is_not_registered(registry, tmp_path):
    registry.register(_request(_model(tmp_path / "1", b"one"), None))
    registry.register(_request(_model(tmp_path / "2", b"two"), "model_a:1"))
    with pytest.raises(ChampionChangedError, match="it was model_a:1, it is now model_a:2"):
        registry.register(_request(_model(tmp_path / "3", b"three"), "model_a:1"))
    assert registry.find_champion("model_a").id == "model_a:2"


def test_a_download_without_a_model_file_says_so(tmp_path):
    (tmp_path / "model_a" / "model").mkdir(parents=True)
    with pytest.raises(ModelFileError, match="holds no model.pkl"):
        model_folder_in(tmp_path)


def test_the_model_card_is_registered_with_the_models_files(registry, tmp_path):
    model = _model(tmp_path / "train" / "model", b"one")
    registry.register(_request(model, None, summary={"register_trained_model": True},
                               lineage={"training_data": {"train_data": "d:1"}}))
    (stored,) = registry.ml_client.models.list("model_a")
    card_file = Path(stored.path) / stored.properties["model_card"]
    assert stored.properties["model_card"] == f"model/{CARD_FOLDER}/card.md"
    card = json.loads((card_file.parent / "card.json").read_text(encoding="utf-8"))
    assert (card["model"]["id"], card["model"]["sha256"]) == ("model_a:1", tree_sha256(model))
    # FolderMLClient has no data assets: the card says the dataset was not described.
    assert "not described" in card["datasets"][0]["note"]
    assert model_sha256(card_file.parent.parent) == stored.properties["sha256"]
    champion = registry.find_champion("model_a")
    assert (champion.path / "model.pkl").read_bytes() == b"one"
    assert not list(model.glob(f"{CARD_FOLDER}*"))  # the trained model's own folder is untouched
