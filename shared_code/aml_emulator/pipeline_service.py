"""The pipelines service, emulated for what building a Pipeline asks of it: its data types.

Every Pipeline's graph makes sure the workspace has the SDK's default data types
(azureml/pipeline/core/_aeva_provider.py:1716-1732); a workspace has them all.
"""
from .http_transport import EmulatedRequest, EmulatedResponse
from .store import EmulatedStore

FILE_TYPES = ("AnyFile", "AzureBlobReference", "AzureDataLakeReference", "AzureFilesReference",
              "AzureSqlDatabaseReference", "AzurePostgresDatabaseReference",
              "AzureDataLakeGen2Reference", "AzureMLDataset", "AzureMySqlDatabaseReference",
              "DBFSReference")
DIRECTORY_TYPES = ("AnyDirectory",)


def list_datatypes(_store: EmulatedStore, _request: EmulatedRequest) -> EmulatedResponse:
    """The workspace's data types."""
    return EmulatedResponse(body=[
        {"Id": name, "Name": name, "Description": name, "IsDirectory": name in DIRECTORY_TYPES,
         "ParentDataTypeIds": [], "EntityStatus": "Active"}
        for name in (*FILE_TYPES, *DIRECTORY_TYPES)])
