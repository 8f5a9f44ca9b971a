"""The champion: the latest registered version, locally or in Azure ML (mocked)."""
import sys
import types
from pathlib import Path

import pytest
from testing_helpers import make_local_run

from shared_code.amltoolbox.promotion.champion import SHA256_PROPERTY, find_champion
from shared_code.amltoolbox.hashing import tree_sha256


class WebserviceException(Exception):
    """Stands in for azureml.exceptions.WebserviceException."""


def _artifact(folder: Path, content: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "model.pkl").write_text(content, encoding="utf-8")
    return folder


def test_locally_there_is_no_champion_before_the_first_registration(tmp_path):
    run = make_local_run(tmp_path)
    assert find_champion(run, "model_x") is None
    run.workspace.close()


def test_locally_the_champion_is_the_latest_version(tmp_path):
    run = make_local_run(tmp_path)
    run.workspace.models.register("model_x", _artifact(tmp_path / "a", "1"))
    latest, _ = run.workspace.models.register("model_x", _artifact(tmp_path / "b", "2"))
    found = find_champion(run, "model_x")
    assert (found.id, found.sha256, found.path) == ("model_x:2", latest.sha256, latest.path)
    run.workspace.close()


@pytest.fixture(name="azure_model")
def fixture_azure_model(monkeypatch, mocker):
    """azureml.core.Model and azureml.exceptions, faked: no network, no SDK start-up."""
    model_class = mocker.Mock()
    monkeypatch.setitem(sys.modules, "azureml.core", types.SimpleNamespace(Model=model_class))
    monkeypatch.setitem(sys.modules, "azureml.exceptions",
                        types.SimpleNamespace(WebserviceException=WebserviceException))
    return model_class


def _aml_run():
    return types.SimpleNamespace(experiment=types.SimpleNamespace(workspace="ws"))


def test_in_azure_ml_no_registered_version_means_no_champion(azure_model):
    azure_model.side_effect = WebserviceException("ModelNotFound")
    assert find_champion(_aml_run(), "model_x") is None
    azure_model.assert_called_once_with("ws", name="model_x")


@pytest.mark.parametrize("properties", [{SHA256_PROPERTY: "recorded-sha"}, {}, None])
def test_in_azure_ml_the_champion_is_downloaded_with_its_sha256(azure_model, properties):
    def download(target_dir, exist_ok):
        assert exist_ok
        return str(_artifact(Path(target_dir) / "model", "champion"))
    azure_model.return_value = types.SimpleNamespace(name="model_x", version=4,
                                                     properties=properties, download=download)
    found = find_champion(_aml_run(), "model_x")
    assert found.id == "model_x:4"
    assert (found.path / "model.pkl").read_text(encoding="utf-8") == "champion"
    assert found.sha256 == (properties or {}).get(SHA256_PROPERTY, tree_sha256(found.path))
