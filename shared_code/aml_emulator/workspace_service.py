"""The workspace's own services, emulated: service discovery and its compute targets."""
from .http_transport import EmulatedRequest, EmulatedResponse
from .identity import LOCATION, SERVICE_ENDPOINT, workspace_scope
from .store import EmulatedStore

COMPUTES = "computes"
# Every service the SDK looks up in discovery (azureml/_restclient/service_context.py:24-29).
DISCOVERED_SERVICES = ("api", "catalog", "experimentation", "gallery", "history", "hyperdrive",
                       "labeling", "modelmanagement", "pipelines", "studio")


def discovery(_store: EmulatedStore, _request: EmulatedRequest) -> EmulatedResponse:
    """Where each service of the workspace's region is: all of them here."""
    return EmulatedResponse(body={service: SERVICE_ENDPOINT for service in DISCOVERED_SERVICES})


def add_compute(store: EmulatedStore, name: str) -> None:
    """Give the workspace an AmlCompute cluster called `name` (as creating one would)."""
    store.write(COMPUTES, name, {"name": name})


# The cluster's settings, in the shape AmlCompute.deserialize reads (amlcompute.py:77-160).
_CLUSTER_PROPERTIES = {
    "vmSize": "STANDARD_DS3_V2", "vmPriority": "Dedicated", "subnet": None,
    "allocationState": "Steady", "currentNodeCount": 1,
    "scaleSettings": {"minNodeCount": 0, "maxNodeCount": 1,
                      "nodeIdleTimeBeforeScaleDown": "PT120S"}}


def _compute_json(name: str) -> dict:
    scope = f"{workspace_scope()}/computes/{name}"
    return {"id": scope, "name": name, "location": LOCATION, "tags": {},
            "type": "Microsoft.MachineLearningServices/workspaces/computes",
            "properties": {"computeType": "AmlCompute", "computeLocation": LOCATION,
                           "description": "the emulator's compute node, this machine",
                           "resourceId": None, "provisioningState": "Succeeded",
                           "provisioningErrors": None, "isAttachedCompute": False,
                           "properties": _CLUSTER_PROPERTIES}}


def list_computes(store: EmulatedStore, _request: EmulatedRequest) -> EmulatedResponse:
    """The workspace's compute targets."""
    return EmulatedResponse(body={"value": [_compute_json(c["name"])
                                            for c in store.records(COMPUTES)]})


def cloud_metadata(_store: EmulatedStore, _request: EmulatedRequest) -> EmulatedResponse:
    """Azure Resource Manager's description of the public cloud, which the SDK loads before
    it signs in (azureml/_vendor/azure_cli_core/azureml_cloud.py:97-134)."""
    return EmulatedResponse(body=[{
        "name": "AzureCloud", "portal": "https://portal.azure.com",
        "resourceManager": "https://management.azure.com/",
        "authentication": {"loginEndpoint": "https://login.microsoftonline.com/",
                           "audiences": ["https://management.core.windows.net/",
                                         "https://management.azure.com/"],
                           "tenant": "common", "identityProvider": "AAD"},
        "graphAudience": "https://graph.windows.net/", "gallery": "https://gallery.azure.com/",
        "sqlManagement": "https://management.core.windows.net:8443/",
        "batch": "https://batch.core.windows.net/", "media": "https://rest.media.azure.net",
        "activeDirectoryDataLake": "https://datalake.azure.net/",
        "vmImageAliasDoc": "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/"
                           "arm-compute/quickstart-templates/aliases.json",
        "suffixes": {"storage": "core.windows.net", "keyVaultDns": "vault.azure.net",
                     "sqlServerHostname": "database.windows.net", "acrLoginServer": "azurecr.io",
                     "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
                     "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net"}}])
