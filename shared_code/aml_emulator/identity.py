"""Who the emulated workspace is: its ARM scope, its service hosts and a run token.

The hosts are never resolved: every request to them is answered in-process by the
emulated service (service_standins.py), and any other host is refused.
"""
SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
RESOURCE_GROUP = "azureml-emulator"
WORKSPACE_NAME = "emulated-workspace"
# One id for every emulated workspace: the SDK caches each workspace's service endpoints in
# ~/.azureml/.discovery under its id, so the emulator only ever adds one entry there.
WORKSPACE_ID = "6d1c7a52-0e15-4d39-9a3c-a2f1e0d5e001"
# Azure ML reads the workspace's region from the first label of the service endpoint's host
# (azureml/core/run.py:228-230), so the hosts are named after an "emulated" region.
LOCATION = "emulated"
SERVICE_HOST = f"{LOCATION}.api.azureml.ms"
SERVICE_ENDPOINT = f"https://{SERVICE_HOST}"
DISCOVERY_URL = f"{SERVICE_ENDPOINT}/discovery"
ARM_HOST = "management.azure.com"
STORAGE_ACCOUNT = "emulatedstorage"
STORAGE_HOST = f"{STORAGE_ACCOUNT}.blob.core.windows.net"
ARTIFACT_CONTAINER = "azureml"
DATASTORE_NAME = "workspaceblobstore"
DATASTORE_CONTAINER = "azureml-blobstore"
EMULATED_HOSTS = (SERVICE_HOST, ARM_HOST, STORAGE_HOST)
# A SAS token's shape; the emulated storage accepts any.
SAS_QUERY = "sv=2019-02-02&sr=b&sig=emulated"


def workspace_scope() -> str:
    """The workspace's ARM resource id."""
    return (f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{RESOURCE_GROUP}/providers/"
            f"Microsoft.MachineLearningServices/workspaces/{WORKSPACE_NAME}")


def run_token() -> str:
    """An AMLToken as a job receives in AZUREML_RUN_TOKEN: the SDK reads only its expiry
    (azureml/core/authentication.py:1539), so it is an unsigned JWT that expires in 2100."""
    import jwt
    return jwt.encode({"exp": 4102444800, "iss": "azureml-emulator"},
                      "azureml-emulator-signing-key-of-no-consequence", algorithm="HS256")
