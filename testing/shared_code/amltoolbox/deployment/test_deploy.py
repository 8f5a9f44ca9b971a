"""deploy_to_azure: the whole dev/prd deployment with the Azure calls mocked."""
import tempfile

import pytest
from azureml.core.model import InferenceConfig
from azureml.core.webservice.aci import AciServiceDeploymentConfiguration
from azureml.core.webservice.aks import AksServiceDeploymentConfiguration
from azureml.exceptions import WebserviceException

from shared_code.amltoolbox.deployment.deploy import deploy_to_azure
from shared_code.amltoolbox.deployment.errors import DeploymentConfigError, DeploymentError
from shared_code.amltoolbox.serving.server_entry import MODEL_ENTRY_SCRIPT_ENV_VAR

URI = "http://model-a-dev.westeurope.azurecontainer.io/score"


@pytest.fixture(name="smoke_test")
def fixture_smoke_test(fake_module, mocker):
    """shared_code.amltoolbox.serving.smoke_test.smoke_test, passing."""
    function = mocker.Mock(return_value=(True, "PASS model_a: 2 sample(s)"))
    fake_module("shared_code.amltoolbox.serving.smoke_test", smoke_test=function)
    return function


@pytest.fixture(name="azure")
def fixture_azure(mocker, get_workspace, smoke_test):  # pylint: disable=unused-argument
    """The SDK's Model and Webservice mocked: model_a:5 is registered, no service exists yet,
    and a deployment ends Healthy with key authentication. (It installs the workspace and the
    smoke test stand-ins too, which is why it asks for them.)"""
    model_class = mocker.patch("azureml.core.Model")
    model = model_class.return_value
    model.name, model.version, model.properties = "model_a", 5, {"sha256": "ab12"}
    service = model_class.deploy.return_value
    service.state, service.scoring_uri, service.auth_enabled = "Healthy", URI, True
    service.get_keys.return_value = ("primary-key", "secondary-key")
    service.get_logs.return_value = "model loaded"
    mocker.patch("azureml.core.webservice.Webservice",
                 side_effect=WebserviceException("WebserviceNotFound"))
    return model_class


def test_dev_deploys_the_latest_model_with_the_entry_script_and_the_dev_config(
        azure, repo_with_model_a, workspace, smoke_test):
    lines = []
    deployment = deploy_to_azure(repo_with_model_a / "model_a", "dev", report=lines.append)

    azure.assert_called_once_with(workspace, name="model_a", version=None)
    args, kwargs = azure.deploy.call_args
    assert args == (workspace, "model-a-dev", [azure.return_value])
    inference, config = kwargs["inference_config"], kwargs["deployment_config"]
    assert isinstance(inference, InferenceConfig)
    assert inference.environment.environment_variables[MODEL_ENTRY_SCRIPT_ENV_VAR] == \
        "model_a/config/entry_script.py"
    assert inference.entry_script == "shared_code/amltoolbox/serving/server_entry_script.py"
    assert inference.source_directory.startswith(tempfile.gettempdir())
    assert inference.environment.environment_variables["MODEL_SHA256"] == "ab12"
    assert isinstance(config, AciServiceDeploymentConfiguration)
    assert (config.cpu_cores, config.memory_gb, config.auth_enabled) == (0.5, 1, True)
    assert config.tags == {"model": "model_a", "environment": "dev"}
    assert kwargs["overwrite"] is False
    smoke_test.assert_called_once_with("model_a", URI, api_key="primary-key")
    assert deployment.model_id == "model_a:5" and deployment.scoring_uri == URI
    assert lines == ["deploying model_a:5 as the dev service model-a-dev (ACI) in workspace "
                     "mlw-test", f"scoring URI: {URI}", "PASS model_a: 2 sample(s)"]


def test_prd_deploys_the_asked_version_to_aks(azure, repo_with_model_a):
    deploy_to_azure(repo_with_model_a / "model_a", "prd", version=3, name="diabetes-prd",
                    report=lambda line: None)
    assert azure.call_args.kwargs["version"] == 3
    args, kwargs = azure.deploy.call_args
    assert args[1] == "diabetes-prd"
    config = kwargs["deployment_config"]
    assert isinstance(config, AksServiceDeploymentConfiguration)
    assert (config.auth_enabled, config.autoscale_enabled, config.enable_app_insights) == \
        (True, True, True)


def test_an_open_service_is_smoke_tested_without_a_key(azure, repo_with_model_a, smoke_test):
    azure.deploy.return_value.auth_enabled = False
    azure.deploy.return_value.token_auth_enabled = False
    deploy_to_azure(repo_with_model_a / "model_a", "dev", report=lambda line: None)
    smoke_test.assert_called_once_with("model_a", URI, api_key=None)


def test_a_bad_config_fails_before_the_workspace_is_contacted(azure, repo_with_model_a,
                                                             get_workspace):
    config = repo_with_model_a / "model_a" / "config" / "deployment_config_prd.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("authEnabled", "authEnabeld"),
                      encoding="utf-8")
    with pytest.raises(DeploymentConfigError, match="does not read authEnabeld"):
        deploy_to_azure(repo_with_model_a / "model_a", "prd")
    get_workspace.assert_not_called()
    azure.deploy.assert_not_called()


def test_no_registered_model_means_no_deployment(azure, repo_with_model_a):
    azure.side_effect = WebserviceException("ModelNotFound: model_a")
    with pytest.raises(DeploymentError, match="no registered model model_a in workspace"):
        deploy_to_azure(repo_with_model_a / "model_a", "dev")
    azure.deploy.assert_not_called()


@pytest.mark.usefixtures("azure")
def test_a_failed_smoke_test_fails_the_deployment_with_the_logs(repo_with_model_a, smoke_test):
    smoke_test.return_value = (False, "FAIL model_a: 1.json got HTTP 502")
    with pytest.raises(DeploymentError, match="model-a-dev is up but failed the smoke test: "
                                              "FAIL model_a: 1.json got HTTP 502") as raised:
        deploy_to_azure(repo_with_model_a / "model_a", "dev", report=lambda line: None)
    assert raised.value.details == "model loaded"
