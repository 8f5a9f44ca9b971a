"""The Azure ML Registry (azureml.core.Model mocked): champion downloaded, registration staged
under the working directory, properties as text."""
import json
import sys
import types
from pathlib import Path

import pytest

from shared_code.amltoolbox.azure.registry import STAGING_PREFIX, AzureRegistry
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.promotion.registry import (SHA256_PROPERTY, ChampionChangedError,
                                                       RegistrationRequest)


class WebserviceException(Exception):
    """Stands in for azureml.exceptions.WebserviceException."""


def _artifact(folder: Path, content: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "model.pkl").write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(name="azure_model")
def fixture_azure_model(monkeypatch, mocker):
    """azureml.core.Model and azureml.exceptions, faked: no network, no SDK start-up."""
    model_class = mocker.Mock()
    monkeypatch.setitem(sys.modules, "azureml.core", types.SimpleNamespace(Model=model_class))
    monkeypatch.setitem(sys.modules, "azureml.exceptions",
                        types.SimpleNamespace(WebserviceException=WebserviceException))
    return model_class


def test_no_registered_version_means_no_champion(azure_model):
    azure_model.side_effect = WebserviceException("ModelNotFound")
    assert AzureRegistry("ws").find_champion("model_x") is None
    azure_model.assert_called_once_with("ws", name="model_x")


@pytest.mark.parametrize("properties", [{SHA256_PROPERTY: "recorded-sha"}, {}, None])
def test_the_champion_is_downloaded_with_its_sha256(azure_model, properties):
    def download(target_dir, exist_ok):
        assert exist_ok
        return str(_artifact(Path(target_dir) / "model", "champion"))
    azure_model.return_value = types.SimpleNamespace(name="model_x", version=4,
                                                     properties=properties, download=download)
    found = AzureRegistry("ws").find_champion("model_x")
    assert found.id == "model_x:4"
    assert (found.path / "model.pkl").read_text(encoding="utf-8") == "champion"
    assert found.sha256 == (properties or {}).get(SHA256_PROPERTY, tree_sha256(found.path))


def _request(model_dir, expected=None) -> RegistrationRequest:
    return RegistrationRequest(
        name="model_x", model_dir=model_dir, sha256=tree_sha256(model_dir), description="d",
        tags={"rmse": 50.5}, properties={"rmse": 50.5, SHA256_PROPERTY: "abc"},
        lineage={"training_data": {"train_data": "t:1"}, "pipeline_run_id": "p"},
        expected_champion=expected)


def test_the_model_is_registered_from_a_copy_under_the_working_directory(
        azure_model, tmp_path, monkeypatch):
    """Model.register refuses a path outside the working directory (azureml/core/model.py,
    _validate_model_path): the downloaded input is staged under it, then removed."""
    azure_model.side_effect = WebserviceException("ModelNotFound")  # no champion yet
    model_dir = _artifact(tmp_path / "downloads" / "model", "new")
    cwd = tmp_path / "snapshot"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    seen = {}

    def register(**kwargs):
        path = Path(kwargs["model_path"])
        seen.update(kwargs, relative=not path.is_absolute(),
                    content=(cwd / path / "model.pkl").read_text(encoding="utf-8"))
        return types.SimpleNamespace(name="model_x", version=1)
    azure_model.register.side_effect = register
    registration = AzureRegistry("ws").register(_request(model_dir))
    assert (registration.model_id, registration.new) == ("model_x:1", True)
    assert seen["relative"] and seen["model_path"].startswith(STAGING_PREFIX)
    assert seen["model_path"].endswith("/model") and seen["content"] == "new"
    assert not list(cwd.iterdir())  # the staged copy is gone
    assert (seen["workspace"], seen["model_name"], seen["description"]) == ("ws", "model_x", "d")
    assert all(isinstance(v, str) for v in {**seen["tags"], **seen["properties"]}.values())
    assert json.loads(seen["properties"]["training_data"]) == {"train_data": "t:1"}
    assert seen["properties"]["pipeline_run_id"] == "p"


def test_a_champion_registered_since_evaluation_blocks_the_registration(azure_model, tmp_path):
    azure_model.return_value = types.SimpleNamespace(name="model_x", version=3)
    with pytest.raises(ChampionChangedError, match="it was model_x:2, it is now model_x:3"):
        AzureRegistry("ws").register(_request(_artifact(tmp_path / "m", "new"), "model_x:2"))
    azure_model.register.assert_not_called()
