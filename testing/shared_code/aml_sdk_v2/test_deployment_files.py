"""Every model folder's SDK v2 deployment files, read by azure-ai-ml's own loaders, offline:
unknown keys are refused, key auth everywhere, prd autoscaled on Kubernetes."""
import shutil

import pytest

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from tested_models import model_folders_under_test
from shared_code.aml_sdk_v2.deployment_files import (deployment_file, endpoint_file,
                                                     load_deployment, load_endpoint)
from shared_code.amltoolbox.deployment.sdk_free import ENVIRONMENTS
from shared_code.amltoolbox.deployment.errors import DeploymentConfigError

MODELS = model_folders_under_test()
IDS = [folder.name for folder in MODELS]


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("folder", MODELS, ids=IDS)
def test_each_endpoint_and_deployment_loads_with_key_auth(folder, env):
    endpoint = load_endpoint(folder, env)
    deployment = load_deployment(folder, env, endpoint.name)
    assert endpoint.auth_mode == "key"
    assert deployment.app_insights_enabled
    assert deployment.model is None and deployment.code_configuration is None  # filled by deploy


@pytest.mark.parametrize("folder", MODELS, ids=IDS)
def test_dev_is_managed_and_prd_an_autoscaled_kubernetes_deployment(folder):
    assert type(load_endpoint(folder, "dev")).__name__ == "ManagedOnlineEndpoint"
    prd = load_endpoint(folder, "prd")
    assert type(prd).__name__ == "KubernetesOnlineEndpoint" and prd.compute
    deployment = load_deployment(folder, "prd", prd.name)
    assert type(deployment).__name__ == "KubernetesOnlineDeployment"
    assert deployment.instance_count >= 2
    assert deployment.scale_settings.min_instances >= 2
    assert deployment.scale_settings.max_instances >= deployment.scale_settings.min_instances


@pytest.fixture(name="copied")
def fixture_copied(tmp_path):
    """model_a's config folder, copied so a test may spoil it."""
    shutil.copytree(MODELS[0] / "config", tmp_path / "config")
    return tmp_path


@pytest.mark.parametrize("kind, old, new, message", [
    ("deployment", "instance_count: 1", "instance_countt: 1", "instance_countt.*Unknown field"),
    ("endpoint", "auth_mode: key", "auth_mod: key", "auth_mod.*Unknown field"),
    ("endpoint", "auth_mode: key", "auth_mode: aml_token", "auth_mode is aml_token"),
    ("deployment", "endpoint_name: model-a-dev", "endpoint_name: other", "make them the same"),
])
def test_a_spoiled_file_is_refused_saying_what_is_wrong(copied, kind, old, new, message):
    path = (deployment_file if kind == "deployment" else endpoint_file)(copied, "dev")
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(DeploymentConfigError, match=message):
        load_deployment(copied, "dev", load_endpoint(copied, "dev").name)


def test_a_missing_file_says_which(tmp_path):
    with pytest.raises(DeploymentConfigError, match="online_endpoint_dev.yml does not exist"):
        load_endpoint(tmp_path, "dev")


def test_an_unknown_environment_is_refused(tmp_path):
    with pytest.raises(DeploymentConfigError, match="no deployment environment 'test'"):
        endpoint_file(tmp_path, "test")
