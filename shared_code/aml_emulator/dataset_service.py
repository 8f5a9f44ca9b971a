"""The dataset and datastore services, emulated.

A dataset record (store.DATASETS, keyed by its saved id) holds what the service keeps:
its type, its definition (a dataflow, here over local files), and for a registered
dataset its name, version, description and tags. A step's output is a saved dataset
without a name, as Azure ML records one.
"""
import uuid

from .http_transport import EmulatedRequest, EmulatedResponse
from .identity import DATASTORE_CONTAINER, DATASTORE_NAME, STORAGE_ACCOUNT
from .run_history import not_found
from .store import DATASETS, EmulatedStore, utc_now

TABULAR, FILE = "tabular", "file"
_DTO_TYPES = {TABULAR: "tabular", FILE: "file"}
# How the SDK asks for the definition of a saved dataset that has no name
# (azureml/data/_dataset_rest_helper.py:127-129).
UNREGISTERED_PREFIX = "unregistered-"


def tabular_definition(path: str) -> tuple[str, str]:
    """(dataflow JSON, rslex YAML) of the CSV files at `path`, defined as
    Dataset.Tabular.from_delimited_files defines a dataset, with its defaults: the data is
    validated (a dataset without data is refused) and the column types are learned from it
    (azureml/data/dataset_factory.py:338-370). The factory takes datastore and URL paths only
    (dataset_factory.py:1129-1148), so the same dataflow is built here over the local path."""
    import azureml.dataprep as dprep
    from azureml.data.dataset_factory import _transform_and_validate
    pattern = f"{path}/**/*.csv" if not path.endswith(".csv") else path
    dataflow = _transform_and_validate(
        dprep.read_csv(pattern, verify_exists=False, infer_column_types=False),
        partition_format=None, validate=True, infer_column_types=True)
    builder = dataflow.builders.set_column_types()
    builder.learn()
    dataflow = builder.to_dataflow()
    return dataflow.to_json(), dataflow._to_yaml_string()  # pylint: disable=protected-access


def file_definition(path: str) -> tuple[str, str]:
    """(dataflow JSON, rslex YAML) of the files under `path`, as Dataset.File.from_files
    defines a dataset (azureml/data/dataset_factory.py:881)."""
    import azureml.dataprep as dprep
    dataflow = dprep.EnginelessDataflow.from_paths([path], False)
    return dataflow.to_json(), dataflow._to_yaml_string()  # pylint: disable=protected-access


def save_dataset(store: EmulatedStore, kind: str, path: str, name: str | None = None,
                 version: int | None = None, description: str = "", tags: dict | None = None,
                 saved_id: str | None = None) -> dict:
    """Save a dataset over local files: registered when it has a name and version."""
    dataflow_json, rslex_yaml = (tabular_definition if kind == TABULAR else file_definition)(path)
    saved_id = saved_id or str(uuid.uuid4())
    return store.write(DATASETS, saved_id, {
        "saved_id": saved_id, "registered_id": f"{name}-registration" if name else None,
        "name": name, "version": version, "type": kind, "path": path,
        "description": description, "tags": dict(tags or {}), "created": utc_now(),
        "dataflow_json": dataflow_json, "rslex_yaml": rslex_yaml})


def registered_version(store: EmulatedStore, name: str, version: int | None) -> dict | None:
    """The record of a registered dataset's version (the latest when `version` is None)."""
    versions = [r for r in store.records(DATASETS) if r["name"] == name]
    if version is not None:
        versions = [r for r in versions if r["version"] == version]
    return max(versions, key=lambda r: r["version"]) if versions else None


def _dataset_json(record: dict) -> dict:
    return {"datasetId": record["registered_id"], "name": record["name"],
            "description": record["description"], "tags": record["tags"], "isVisible": True,
            "datasetType": _DTO_TYPES[record["type"]], "createdTime": record["created"],
            "latest": {"datasetId": record["registered_id"], "versionId": str(record["version"]),
                       "dataflow": record["dataflow_json"], "properties": {},
                       "savedDatasetId": record["saved_id"], "createdTime": record["created"]}}


def _saved_dataset_json(record: dict) -> dict:
    return {"id": record["saved_id"], "datasetType": _DTO_TYPES[record["type"]],
            "properties": {}, "dataflowJson": record["dataflow_json"]}


def get_by_name(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """A registered dataset by name (and versionId, else the latest)."""
    name, version = request.params["datasetName"], request.query.get("versionId")
    record = registered_version(store, name, int(version) if version else None)
    return EmulatedResponse(body=_dataset_json(record)) if record else not_found("dataset", name)


def get_registered_by_saved_id(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """The registered datasets whose version is this saved dataset (none for an output)."""
    record = store.read(DATASETS, request.params["savedDatasetId"])
    found = [_dataset_json(record)] if record and record["name"] else []
    return EmulatedResponse(body={"value": found, "continuationToken": None})


def get_saved(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """A saved dataset by id."""
    record = store.read(DATASETS, request.params["id"])
    return EmulatedResponse(body=_saved_dataset_json(record)) if record else not_found(
        "saved dataset", request.params["id"])


def get_rslex_definition(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """A dataset's definition in rslex YAML, by 'unregistered-<saved id>'; a name that is not
    of that form asks for an Azure ML v2 data asset, which this workspace has none of."""
    name = request.params["name"]
    record = (store.read(DATASETS, name[len(UNREGISTERED_PREFIX):])
              if name.startswith(UNREGISTERED_PREFIX) else None)
    return EmulatedResponse(body={"legacyDataflow": record["rslex_yaml"]}) if record else not_found(
        "data asset", name)


def get_default_datastore(_store: EmulatedStore, _request: EmulatedRequest) -> EmulatedResponse:
    """The workspace's default datastore: its blob container (credentials are the service's)."""
    return EmulatedResponse(body={
        "name": DATASTORE_NAME, "dataStoreType": "AzureBlob", "hasBeenValidated": True,
        "tags": {}, "azureStorageSection": {
            "accountName": STORAGE_ACCOUNT, "containerName": DATASTORE_CONTAINER,
            "endpoint": "core.windows.net", "protocol": "https", "credentialType": "None",
            "isSas": False}})
