"""Each model's SDK v2 batch endpoint and deployment, read by azure-ai-ml offline, completed
and rolled out against a stand-in MLClient (run in the v2 environment: tox -e v2)."""
import shutil
from types import SimpleNamespace
from unittest import mock

import pytest

pytest.importorskip("azure.ai.ml")

# pylint: disable=wrong-import-position  # after the skip: azure-ai-ml is in the v2 lock only
from tested_models import model_folders_under_test
from shared_code.amltoolbox.deployment.errors import DeploymentConfigError
from shared_code.amltoolbox.layout import model_folder
from shared_code.batch_scoring import azure_v2_batch
from shared_code.batch_scoring.azure_v2_batch import (DRIVER, deploy_batch, load_batch_files)

MODELS = [folder.name for folder in model_folders_under_test()]


@pytest.mark.parametrize("model", MODELS)
def test_each_models_batch_files_load_and_name_one_endpoint(model):
    endpoint, deployment = load_batch_files(model_folder(model))
    assert deployment.endpoint_name == endpoint.name
    assert (deployment.output_action, deployment.error_threshold) == ("append_row", -1)


@pytest.mark.parametrize("old, new, message", [
    ("output_action: append_row", "output_acton: append_row", "output_acton"),
    ("endpoint_name: model-a-batch", "endpoint_name: other", "names the endpoint model-a-batch"),
])
def test_a_spoiled_file_is_refused_saying_what_is_wrong(tmp_path, old, new, message):
    folder = tmp_path / "model_a"
    shutil.copytree(model_folder("model_a") / "config", folder / "config")
    path = folder / "config" / "batch_deployment.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(DeploymentConfigError, match=message):
        load_batch_files(folder)


def test_a_missing_file_says_which(tmp_path):
    (tmp_path / "config").mkdir()
    with pytest.raises(DeploymentConfigError, match="batch_endpoint.yml does not exist"):
        load_batch_files(tmp_path)


@pytest.mark.parametrize("model", MODELS)
def test_deploy_batch_rolls_out_the_driver_with_the_models_settings(model):
    client = mock.MagicMock(workspace_name="offline-workspace")
    registered = SimpleNamespace(name=model, version="3", properties={"sha256": "ab" * 32},
                                 id=f"azureml:{model}:3")
    client.models.get.return_value = registered
    client.batch_endpoints.get.return_value = SimpleNamespace(
        name="endpoint", defaults=SimpleNamespace(deployment_name=None))
    deployment = deploy_batch(model_folder(model), 3, report=lambda line: None,
                              ml_client=client)
    assert deployment.model is registered
    assert deployment.code_configuration.scoring_script == DRIVER
    assert deployment.environment_variables["BATCH_MODEL_FOLDER"] == model
    assert deployment.environment_variables["MODEL_SHA256"] == "ab" * 32
    client.batch_deployments.begin_create_or_update.assert_called_once_with(deployment)
    assert client.batch_endpoints.get.return_value.defaults.deployment_name == deployment.name
    assert azure_v2_batch.DRIVER.endswith("parallel_run_driver.py")
