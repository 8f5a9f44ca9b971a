"""Which workspace an MLClient opens and who signs in: settings outside a job, the job's own
identity inside one; no secret is read from a file."""
import pytest

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from azureml_offline import refuse_connections, without_workspace_settings

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.aml_sdk_v2.ml_client import (JOB_WORKSPACE_VARS, job_credential,
                                              job_ml_client, workspace_ml_client)

JOB_ENV = dict(zip(JOB_WORKSPACE_VARS, ("sub", "rg", "ws")))


def test_no_settings_say_what_to_set(monkeypatch, mocker, tmp_path):
    without_workspace_settings(monkeypatch, mocker, tmp_path)
    with pytest.raises(AzureSetupError, match="AZUREML_SUBSCRIPTION_ID"):
        workspace_ml_client(environ={}, start=tmp_path)


def test_the_variables_name_the_workspace(monkeypatch, mocker, tmp_path):
    refuse_connections(monkeypatch)
    without_workspace_settings(monkeypatch, mocker, tmp_path)
    client = workspace_ml_client(environ={"AZUREML_SUBSCRIPTION_ID": "sub",
                                          "AZUREML_RESOURCE_GROUP": "rg",
                                          "AZUREML_WORKSPACE_NAME": "ws"}, start=tmp_path)
    assert (client.subscription_id, client.resource_group_name, client.workspace_name) == \
        ("sub", "rg", "ws")


def test_a_job_signs_in_as_its_user_when_azure_ml_offers_it():
    from azure.ai.ml.identity import AzureMLOnBehalfOfCredential
    assert isinstance(job_credential({"OBO_ENDPOINT": "http://127.0.0.1/obo"}),
                      AzureMLOnBehalfOfCredential)


def test_else_a_job_signs_in_as_the_computes_managed_identity():
    from azure.identity import ManagedIdentityCredential
    assert isinstance(job_credential({}), ManagedIdentityCredential)


def test_inside_a_job_the_workspace_comes_from_azure_mls_variables(monkeypatch):
    refuse_connections(monkeypatch)
    client = job_ml_client(JOB_ENV)
    assert (client.subscription_id, client.resource_group_name, client.workspace_name) == \
        ("sub", "rg", "ws")


def test_outside_a_job_the_job_client_says_so():
    with pytest.raises(AzureSetupError, match="not running in an Azure ML v2 job"):
        job_ml_client({})
