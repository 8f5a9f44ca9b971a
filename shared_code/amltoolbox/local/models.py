"""The local model registry: versioned, checksummed copies of model artifacts, staged first,
then moved into place and recorded in one transaction under the index's write lock, so a
process killed at any point leaves a whole registration or none."""
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..disk_space import WORKSPACE_REMEDY, disk_full_reported
from ..errors import UserError
from ..naming import check_model_name
from ..promotion.registry import ChampionChangedError
from ..staging import replace_folder
from .integrity import files_problem
from .runs import check_run_alive
from .store import Store, dumps, utc_now

MODELS_DIR = "models"


class ModelNotFoundError(UserError):
    """No registered model of that name (or version)."""


# A model's as_dict() as JSON text, keys sorted, made by SQLite in one printf: the path joined
# to the workspace (the first parameter) with this system's separator (the second).
_JSON_OBJECT = """printf('{"created": %s, "description": %s, "lineage": %s, "name": %s, '
    || '"path": %s, "properties": %s, "run_id": %s, "sha256": %s, "tags": %s, "version": %d}',
    json_quote(created), json_quote(description), lineage, json_quote(name),
    json_quote(? || replace(path, '/', ?)), properties, json_quote(run_id), json_quote(sha256),
    tags, version)"""

ANY_CHAMPION = object()  # register() without checking which version is the latest


@dataclass(frozen=True)
class ModelRecord:
    """One registered model version; `path` is the folder holding its files."""
    name: str
    version: int
    sha256: str
    path: Path
    description: str
    tags: dict
    properties: dict
    lineage: dict
    run_id: str | None
    created: str

    @property
    def id(self) -> str:
        """name:version, as Azure ML writes a model id."""
        return f"{self.name}:{self.version}"

    def as_dict(self) -> dict:
        """A JSON-ready view, as `models list --json` prints it."""
        return {"name": self.name, "version": self.version, "sha256": self.sha256,
                "path": str(self.path), "description": self.description, "tags": self.tags,
                "properties": self.properties, "lineage": self.lineage, "run_id": self.run_id,
                "created": self.created}


class LocalModels:
    """Register and look up models in the local workspace."""

    def __init__(self, store: Store):
        self.store = store

    def _record(self, row) -> ModelRecord:
        return ModelRecord(name=row["name"], version=row["version"], sha256=row["sha256"],
                           path=self.store.root / row["path"], description=row["description"],
                           tags=json.loads(row["tags"]), properties=json.loads(row["properties"]),
                           lineage=json.loads(row["lineage"]), run_id=row["run_id"],
                           created=row["created"])

    def latest(self, name: str) -> ModelRecord | None:
        """The newest version of `name`, or None when there is none (no champion yet)."""
        rows = self.store.query("SELECT * FROM models WHERE name=? ORDER BY version DESC LIMIT 1",
                                (name,))
        return self._record(rows[0]) if rows else None

    def get(self, name: str, version: int | None = None) -> ModelRecord:
        """A model by name, its latest version unless `version` is given."""
        if version is None:
            record = self.latest(name)
        elif not 0 < version < 2**63:  # beyond SQLite's integers: no such version
            record = None
        else:
            rows = self.store.query("SELECT * FROM models WHERE name=? AND version=?",
                                    (name, version))
            record = self._record(rows[0]) if rows else None
        if record is None:
            versions = [str(r["version"]) for r in self.store.query(
                "SELECT version FROM models WHERE name=? ORDER BY version", (name,))]
            hint = (f"registered versions: {', '.join(versions)}" if versions else
                    "run its pipeline first: tox -e pipeline -- MODEL")
            which = f"version {version} of " if version is not None else ""
            raise ModelNotFoundError(f"no {which}model '{name}' in the local registry "
                                     f"{self.store.root} ({hint})")
        return record

    def _select(self, columns: str, params: Sequence, name: str | None, limit: int | None,
                offset: int) -> Sequence:
        sql = f"SELECT {columns} FROM models"
        if name:
            sql, params = sql + " WHERE name=?", [*params, name]
        # SQLite reads LIMIT -1 as no limit.
        return self.store.query(sql + " ORDER BY name, version LIMIT ? OFFSET ?",
                                [*params, -1 if limit is None else limit, offset])

    def list_as_json(self, name: str | None = None, limit: int | None = None,
                     offset: int = 0) -> Sequence[str]:
        """list() as JSON text written by SQLite (keys sorted): the JSON columns are not
        decoded and encoded again, most of `models list --json`'s time for 10,000 models."""
        rows = self._select(_JSON_OBJECT, [str(self.store.root) + os.sep, os.sep], name, limit,
                            offset)
        return [row[0] for row in rows]

    def list(self, name: str | None = None, limit: int | None = None,
             offset: int = 0) -> list[ModelRecord]:
        """Registered versions, of one model or of all, by name and version: `limit` of them
        (all when None) after the first `offset`."""
        return [self._record(r) for r in self._select("*", [], name, limit, offset)]

    def register(self, name: str, artifact: Path, description: str = "",
                 tags: dict | None = None, properties: dict | None = None,
                 lineage: dict | None = None, run_id: str | None = None,
                 expected_champion=ANY_CHAMPION) -> tuple[ModelRecord, bool]:
        """Register `artifact` (a file or folder) as the next version of `name`; the record
        and whether it is new (an existing version's sha256 returns that version, its files
        repaired). ChampionChangedError when the latest version is no longer
        `expected_champion` ('name:version' or None); with a `run_id`, RunEndedError unless
        that run is Running and its runner alive."""
        check_model_name(name)
        artifact = Path(artifact)
        if not artifact.exists():
            raise FileNotFoundError(f"model artifact {artifact} does not exist")
        parent = self.store.root / MODELS_DIR / name
        with disk_full_reported(parent, f"copying model {name} into the registry",
                                WORKSPACE_REMEDY):
            staging, sha256 = _staged_copy(artifact, parent)
        try:
            with self.store.transaction() as db:
                created = utc_now()  # before the check: a live runner was alive at this time
                if run_id is not None:
                    check_run_alive(db, run_id)
                same = db.execute("SELECT * FROM models WHERE name=? AND sha256=?",
                                  (name, sha256)).fetchone()
                if same is not None:
                    record = self._record(same)
                    if files_problem(record.id, record.path, record.sha256):
                        replace_folder(record.path, staging)
                    return record, False
                row = db.execute("SELECT MAX(version) AS v FROM models WHERE name=?",
                                 (name,)).fetchone()
                latest = f"{name}:{row['v']}" if row["v"] else None
                if expected_champion is not ANY_CHAMPION and latest != expected_champion:
                    raise ChampionChangedError(
                        f"the champion changed since evaluation (it was "
                        f"{expected_champion or 'none'}, it is now {latest}): run the pipeline "
                        "again to compare with it")
                version = (row["v"] or 0) + 1
                final = parent / str(version)
                if final.exists():
                    shutil.rmtree(final)
                staging.rename(final)
                db.execute("INSERT INTO models VALUES (?,?,?,?,?,?,?,?,?,?)",
                           (name, version, sha256, final.relative_to(self.store.root).as_posix(),
                            description, dumps(tags or {}), dumps(properties or {}),
                            dumps(lineage or {}), run_id, created))
            return self.get(name, version), True
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _staged_copy(artifact: Path, parent: Path) -> tuple[Path, str]:
    """A new staging folder under `parent` holding a copy of `artifact` (a file or folder),
    and the artifact's sha256."""
    # Imported here: listing or looking up models hashes nothing (the CLI's start-up).
    from ..hashing import tree_sha256  # pylint: disable=import-outside-toplevel
    sha256 = tree_sha256(artifact)
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=parent))
    try:
        if artifact.is_file():
            shutil.copy2(artifact, staging / artifact.name)
        else:
            shutil.copytree(artifact, staging, dirs_exist_ok=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, sha256


def model_problem(record: ModelRecord) -> str | None:
    """What is wrong with a registered model version's files, or None."""
    return files_problem(f"model {record.id}", record.path, record.sha256)
