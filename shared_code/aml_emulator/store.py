"""The emulated workspace's state, kept in a folder so that every process sees it.

The runner (the parent process) and each step's process answer the SDK's requests from
these files, so a second pipeline run finds what the first registered:

    runs/<run id>.json           status, properties, tags, metrics, images, error, datasets
    datasets/<saved id>.json     saved datasets: registered inputs and the steps' outputs
    assets/<asset id>.json       model assets: the artifact prefix holding their files
    models/<name>/<version>.json registered models, as the model management service keeps them
    blobs/<container>/<path>     blob storage: run artifacts (images, logs) and model files in
                                 the artifact container, step outputs in the datastore's
    jobs/<run id>/               a step's compute node while its job runs: snapshot and data
    computes/<name>.json         the workspace's compute targets
"""
import json
import os
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path

RUNS, DATASETS, ASSETS, MODELS = "runs", "datasets", "assets", "models"
BLOBS, JOBS = "blobs", "jobs"
# Inside the local workspace folder, so it is git-ignored and moves with AML_LOCAL_WORKSPACE.
EMULATED_WORKSPACE_DIR = "azureml-emulator"
# A replayed step's job sees the registry as it was when the original step started
# (replay.py): the models registered up to this time (ISO 8601, as utc_now() writes it).
REGISTRY_AS_OF_ENV_VAR = "AZUREML_EMULATOR_REGISTRY_AS_OF"

# Metrics and artifacts are sent from the SDK's worker threads; one writer at a time.
_LOCK = threading.RLock()


def emulated_workspace_dir(local_workspace) -> Path:
    """Where the emulated Azure ML workspace of a local workspace (a LocalWorkspace) is kept."""
    return local_workspace.root / EMULATED_WORKSPACE_DIR


def utc_now() -> str:
    """Now, in the ISO 8601 form the services answer with."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class EmulatedStore:
    """The folder behind one emulated workspace."""

    def __init__(self, root: Path, registry_as_of: str | None = None):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.registry_as_of = registry_as_of

    def path(self, *parts: str) -> Path:
        """A path inside the store."""
        return self.root.joinpath(*parts)

    def read(self, kind: str, key: str) -> dict | None:
        """The record `key` of `kind`, or None."""
        file = self.path(kind, f"{key}.json")
        return _read_json(file) if file.is_file() else None

    def write(self, kind: str, key: str, record: dict) -> dict:
        """Write (replace) a record."""
        with _LOCK:
            _write_json(self.path(kind, f"{key}.json"), record)
        return record

    def update(self, kind: str, key: str, change) -> dict:
        """Apply `change(record)` to a record in place and write it back."""
        with _LOCK:
            record = self.read(kind, key)
            if record is None:
                raise KeyError(f"{kind}/{key}")
            change(record)
            _write_json(self.path(kind, f"{key}.json"), record)
            return record

    def records(self, kind: str) -> list[dict]:
        """Every record of `kind` (one folder level)."""
        folder = self.path(kind)
        return [_read_json(f) for f in sorted(folder.glob("*.json"))] if folder.is_dir() else []

    def model_versions(self, name: str) -> list[dict]:
        """Every registered version of model `name`, oldest first."""
        folder = self.path(MODELS, name)
        if not folder.is_dir():
            return []
        return sorted((_read_json(f) for f in folder.glob("*.json")), key=lambda m: m["version"])

    def visible_model_versions(self, name: str) -> list[dict]:
        """model_versions() as the registry answers here: those registered up to
        registry_as_of, when it is set."""
        return [model for model in self.model_versions(name)
                if self.registry_as_of is None or model["createdTime"] <= self.registry_as_of]

    def add_model_version(self, name: str, make_record) -> dict:
        """Register the next version of `name`: `make_record(version)` is written under a
        version number no other process can take (the file is created exclusively)."""
        folder = self.path(MODELS, name)
        folder.mkdir(parents=True, exist_ok=True)
        version = max((m["version"] for m in self.model_versions(name)), default=0) + 1
        while True:
            try:
                handle = os.open(folder / f"{version}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            except FileExistsError:
                version += 1
                continue
            record = make_record(version)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(record, file, indent=2, sort_keys=True)
            return record


def _read_json(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _write_json(path: Path, record: dict) -> None:
    """Write atomically, so that a reader never sees half a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(record, file, indent=2, sort_keys=True, default=str)
    os.replace(staging, path)
