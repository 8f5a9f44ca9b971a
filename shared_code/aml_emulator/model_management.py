"""The model management service, emulated: assets and the model registry.

Model.register uploads the model's files as artifacts, makes an asset of their prefix,
then registers the asset under a name as the next version (azureml/core/model.py:572-585,
588-625, 1171-1180). The registry keeps what the service keeps: name, version, asset url,
tags, properties, description and creation time; a model's files stay in the artifacts.
"""
import uuid
from pathlib import Path

from .http_transport import EmulatedRequest, EmulatedResponse
from .identity import ARTIFACT_CONTAINER
from .run_history import not_found
from .store import ASSETS, BLOBS, MODELS, EmulatedStore, utc_now

ASSET_URL_PREFIX = "aml://asset/"


def create_asset(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """Make an asset of uploaded artifacts."""
    asset = request.json() or {}
    asset_id = uuid.uuid4().hex
    record = {"id": asset_id, "name": asset.get("name"), "type": asset.get("type"),
              "artifacts": asset.get("artifacts") or [], "kvTags": asset.get("kvTags"),
              "properties": asset.get("properties"), "runid": asset.get("runid"),
              "meta": asset.get("meta"), "createdTime": utc_now()}
    return EmulatedResponse(body=store.write(ASSETS, asset_id, record))


def get_asset(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """An asset by id."""
    record = store.read(ASSETS, request.params["id"])
    return EmulatedResponse(body=record) if record else not_found("asset", request.params["id"])


def _model_json(record: dict) -> dict:
    return {key: value for key, value in record.items() if value is not None}


def register_model(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """Register a model: the next version of its name."""
    model = request.json() or {}
    name = model["name"]
    if not (model.get("url") or "").startswith(ASSET_URL_PREFIX) or store.read(
            ASSETS, model["url"][len(ASSET_URL_PREFIX):]) is None:
        return EmulatedResponse(400, {"error": {"code": "BadRequest",
                                                "message": f"no asset at {model.get('url')}"}})

    def record(version: int) -> dict:
        return {**model, "id": f"{name}:{version}", "version": version, "createdTime": utc_now(),
                "modifiedTime": utc_now(), "kvTags": model.get("kvTags") or {},
                "properties": model.get("properties") or {},
                "datasets": model.get("datasets") or [],
                "createdBy": {"userName": "azureml-emulator"}}
    return EmulatedResponse(body=_model_json(store.add_model_version(name, record)))


def get_model(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """A model by id, name:version."""
    name, _, version = request.params["id"].rpartition(":")
    found = [m for m in store.visible_model_versions(name) if str(m["version"]) == version]
    return EmulatedResponse(body=_model_json(found[0])) if found else not_found(
        "model", request.params["id"])


def list_models(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """Models of a name (all names without one), the latest version first."""
    name = request.query.get("name")
    names = [name] if name else sorted(p.name for p in store.path(MODELS).glob("*") if p.is_dir())
    found = sorted((m for n in names for m in store.visible_model_versions(n)),
                   key=lambda m: (m["createdTime"], m["version"]), reverse=True)
    if request.query.get("count"):
        found = found[:int(request.query["count"])]
    return EmulatedResponse(body={"value": [_model_json(m) for m in found],
                                  "continuationToken": None, "nextLink": None})


def registered_files(store: EmulatedStore, model: dict) -> dict[str, Path]:
    """{path within the model: file} of a registered model's files, from its asset's artifacts."""
    asset = store.read(ASSETS, model["url"][len(ASSET_URL_PREFIX):])
    files = {}
    for artifact in asset["artifacts"]:
        prefix = store.path(BLOBS, ARTIFACT_CONTAINER, artifact["prefix"])
        # A model downloads into <target>/<its folder's name>/..., as the prefix's last part.
        base = prefix.parent
        files.update({file.relative_to(base).as_posix(): file
                      for file in sorted(prefix.rglob("*")) if file.is_file()})
    return files
