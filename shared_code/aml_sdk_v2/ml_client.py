"""The MLClient of the workspace: on a developer's machine or CI, and inside a v2 job.

Outside a job the workspace comes from the same settings as SDK v1 (a config.json, or
AZUREML_SUBSCRIPTION_ID, AZUREML_RESOURCE_GROUP and AZUREML_WORKSPACE_NAME: see
..azure.workspace) and sign-in is azure-identity's DefaultAzureCredential, which takes
AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET (CI), workload identity or `az login`.

Inside a job the workspace comes from the variables Azure ML sets in every job
(AZUREML_ARM_SUBSCRIPTION, ..., as azureml/mlflow/_common/constants.py:7 reads them) and the
job's own identity signs in: the submitting user's (OBO_ENDPOINT set,
azure/ai/ml/identity/_credentials/aml_on_behalf_of.py:75) or the compute's managed identity.
No secret is read from, or written to, any file.
"""
import os
from pathlib import Path
from typing import Mapping

from shared_code.amltoolbox.azure_settings import (RESOURCE_GROUP_VAR, SUBSCRIPTION_VAR,
                                                   WORKSPACE_NAME_VAR, WORKSPACE_VARS,
                                                   AzureSetupError, find_config_file)

JOB_WORKSPACE_VARS = ("AZUREML_ARM_SUBSCRIPTION", "AZUREML_ARM_RESOURCEGROUP",
                      "AZUREML_ARM_WORKSPACE_NAME")
OBO_ENDPOINT_VAR = "OBO_ENDPOINT"
COMPUTE_IDENTITY_VAR = "DEFAULT_IDENTITY_CLIENT_ID"


def workspace_ml_client(environ: Mapping[str, str] | None = None, start: Path | None = None):
    """The MLClient of the workspace the settings name (see the module's docstring)."""
    environ = os.environ if environ is None else environ
    config_file = find_config_file(start)
    missing = [name for name in WORKSPACE_VARS if not environ.get(name)]
    if config_file is None and missing:
        raise AzureSetupError(
            f"no Azure ML workspace is configured: {', '.join(missing)} not set and no "
            "config.json found. Download config.json from the workspace's overview page in "
            f"the Azure portal into the repository root, or set {', '.join(WORKSPACE_VARS)}.")
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential
    credential = DefaultAzureCredential()
    if config_file is not None:
        return MLClient.from_config(credential=credential, path=str(config_file))
    return MLClient(credential, subscription_id=environ[SUBSCRIPTION_VAR],
                    resource_group_name=environ[RESOURCE_GROUP_VAR],
                    workspace_name=environ[WORKSPACE_NAME_VAR])


def job_credential(environ: Mapping[str, str]):
    """The running job's identity: the submitting user's, else the compute's managed identity."""
    if environ.get(OBO_ENDPOINT_VAR):
        from azure.ai.ml.identity import AzureMLOnBehalfOfCredential
        return AzureMLOnBehalfOfCredential()
    from azure.identity import ManagedIdentityCredential
    return ManagedIdentityCredential(client_id=environ.get(COMPUTE_IDENTITY_VAR) or None)


def job_ml_client(environ: Mapping[str, str] | None = None):
    """The MLClient of the workspace a v2 job runs in, signed in as the job."""
    environ = os.environ if environ is None else environ
    missing = [name for name in JOB_WORKSPACE_VARS if not environ.get(name)]
    if missing:
        raise AzureSetupError(f"{', '.join(missing)} not set: Azure ML sets them in every job; "
                              "this step is not running in an Azure ML v2 job")
    from azure.ai.ml import MLClient
    subscription, resource_group, workspace = (environ[name] for name in JOB_WORKSPACE_VARS)
    return MLClient(job_credential(environ), subscription_id=subscription,
                    resource_group_name=resource_group, workspace_name=workspace)
