"""Which workspace, signed in how: config.json, environment variables, service principal;
Azure out of reach."""
import json
import logging
import socket

import pytest
from azureml.exceptions import AuthenticationException

from shared_code.amltoolbox.azure import workspace as workspace_module
from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.amltoolbox.azure.workspace import (find_config_file, get_workspace,
                                                    network_failure)

SECRET = "s3cr3t-value-never-shown"
WORKSPACE_ENV = {"AZUREML_SUBSCRIPTION_ID": "sub-id", "AZUREML_RESOURCE_GROUP": "rg-ml",
                 "AZUREML_WORKSPACE_NAME": "mlw-dev"}
SERVICE_PRINCIPAL_ENV = {"AZURE_TENANT_ID": "tenant", "AZURE_CLIENT_ID": "client",
                         "AZURE_CLIENT_SECRET": SECRET}


@pytest.fixture(name="no_config_file")
def fixture_no_config_file(tmp_path, mocker):
    """A start folder with no config.json in it, its parents or the repository root."""
    mocker.patch.object(workspace_module, "REPO_ROOT", tmp_path)
    start = tmp_path / "somewhere"
    start.mkdir()
    return start


@pytest.fixture(name="sdk")
def fixture_sdk(mocker):
    """The Workspace and ServicePrincipalAuthentication classes, mocked."""
    return (mocker.patch("azureml.core.Workspace"),
            mocker.patch("azureml.core.authentication.ServicePrincipalAuthentication"))


@pytest.mark.parametrize("location", ["config.json", ".azureml/config.json"])
def test_a_config_file_is_found_in_a_parent_folder(tmp_path, mocker, location):
    mocker.patch.object(workspace_module, "REPO_ROOT", tmp_path / "elsewhere")
    (tmp_path / location).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / location).write_text("{}", encoding="utf-8")
    start = tmp_path / "model_a" / "notebooks"
    start.mkdir(parents=True)
    assert find_config_file(start) == tmp_path / location


def test_a_config_file_is_used_first(tmp_path, mocker, sdk):
    mocker.patch.object(workspace_module, "REPO_ROOT", tmp_path)
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    workspace_class, _ = sdk
    assert get_workspace(environ=WORKSPACE_ENV, start=tmp_path) is \
        workspace_class.from_config.return_value
    workspace_class.from_config.assert_called_once_with(path=str(tmp_path / "config.json"),
                                                        auth=None)
    workspace_class.get.assert_not_called()


def test_environment_variables_name_the_workspace(no_config_file, sdk):
    workspace_class, _ = sdk
    get_workspace(environ=WORKSPACE_ENV, start=no_config_file)
    workspace_class.get.assert_called_once_with(name="mlw-dev", auth=None, subscription_id="sub-id",
                                                resource_group="rg-ml")


def test_ci_signs_in_as_the_service_principal(no_config_file, sdk):
    workspace_class, principal_class = sdk
    get_workspace(environ={**WORKSPACE_ENV, **SERVICE_PRINCIPAL_ENV}, start=no_config_file)
    principal_class.assert_called_once_with(tenant_id="tenant", service_principal_id="client",
                                            service_principal_password=SECRET)
    assert workspace_class.get.call_args.kwargs["auth"] is principal_class.return_value


def test_no_settings_give_one_message_naming_what_to_set(no_config_file, sdk):
    with pytest.raises(AzureSetupError) as error:
        get_workspace(environ={"AZUREML_WORKSPACE_NAME": "mlw-dev"}, start=no_config_file)
    message = str(error.value)
    assert "AZUREML_SUBSCRIPTION_ID, AZUREML_RESOURCE_GROUP are not set" in message
    assert "no config.json in" in message
    assert "download config.json from the workspace's overview page" in message
    sdk[0].get.assert_not_called()


def test_a_partial_service_principal_names_the_missing_variable(no_config_file, sdk):
    partial = {**WORKSPACE_ENV, "AZURE_TENANT_ID": "tenant", "AZURE_CLIENT_ID": "client"}
    with pytest.raises(AzureSetupError, match="AZURE_CLIENT_SECRET is not set"):
        get_workspace(environ=partial, start=no_config_file)
    sdk[1].assert_not_called()


def test_a_refused_sign_in_is_explained_without_the_secret(no_config_file, sdk, capsys, caplog):
    workspace_class, _ = sdk
    workspace_class.get.side_effect = AuthenticationException("the client could not sign in")
    with caplog.at_level(logging.DEBUG), pytest.raises(AzureSetupError) as error:
        get_workspace(environ={**WORKSPACE_ENV, **SERVICE_PRINCIPAL_ENV}, start=no_config_file)
    assert "could not open the Azure ML workspace set by AZUREML_WORKSPACE_NAME=mlw-dev" in \
        str(error.value)
    assert "the client could not sign in" in str(error.value)
    captured = capsys.readouterr()
    assert SECRET not in str(error.value) + captured.out + captured.err + caplog.text


@pytest.fixture(name="no_network")
def fixture_no_network(mocker):
    """A machine whose names never resolve: the real SDK fails where it first reaches Azure."""
    return mocker.patch("socket.getaddrinfo",
                        side_effect=socket.gaierror(-2, "Name or service not known"))


@pytest.mark.parametrize("settings", ["environment", "config.json"])
def test_azure_out_of_reach_is_one_line_naming_the_host_and_no_secret(
        no_config_file, no_network, capsys, caplog, tmp_path, settings):
    if settings == "config.json":
        (tmp_path / "config.json").write_text(json.dumps(
            {"subscription_id": "sub-id", "resource_group": "rg-ml", "workspace_name": "mlw-dev"}),
            encoding="utf-8")
    with pytest.raises(AzureSetupError) as error:
        get_workspace(environ={**WORKSPACE_ENV, **SERVICE_PRINCIPAL_ENV}, start=no_config_file)
    message = str(error.value)
    assert len(message.splitlines()) == 1
    assert message.startswith("cannot reach Azure to open the Azure ML workspace set by ")
    assert "login.microsoftonline.com: its name could not be resolved" in message
    assert "check this machine's network connection" in message
    printed = capsys.readouterr()
    assert SECRET not in message + printed.out + printed.err + caplog.text
    assert no_network.called


@pytest.mark.parametrize("error, reason", [
    (socket.gaierror(-2, "Name or service not known"), "Azure: its name could not be resolved"),
    (ConnectionRefusedError(111, "Connection refused"), "Azure: Connection refused"),
    (TimeoutError("timed out"), "Azure: the connection timed out"),
    (ValueError("not a network failure"), None),
])
def test_a_network_failure_is_told_from_other_errors_along_its_causes(error, reason):
    try:
        try:
            raise error
        except Exception as cause:
            raise RuntimeError("the SDK's own wrapper") from cause
    except RuntimeError as wrapped:
        assert network_failure(wrapped) == reason
