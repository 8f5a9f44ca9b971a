"""Registered datasets in the local workspace: immutable, versioned copies of files."""
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..disk_space import WORKSPACE_REMEDY, disk_full_reported
from ..errors import UserError
from ..hashing import tree_sha256
from ..naming import check_dataset_name
from ..pipeline import DATASET_TYPES
from ..progress import Progress
from ..staging import replace_folder
from .dataset_sources import dataset_files
from .integrity import files_problem
from .runs import check_run_alive
from .store import Store, dumps, utc_now

DATASETS_DIR = "datasets"


class DatasetNotFoundError(UserError):
    """No registered dataset of that name (or version)."""


@dataclass(frozen=True)
class DatasetRecord:
    """One version of a registered dataset."""
    name: str
    version: int
    type: str
    description: str
    tags: dict
    content_sha256: str
    path: Path
    files: int
    created: str
    run_id: str | None = None  # the run that registered it on first use, if one did

    @property
    def id(self) -> str:
        """name:version, how runs and lineage refer to it."""
        return f"{self.name}:{self.version}"


class LocalDatasets:
    """Register and look up datasets in the local workspace."""

    def __init__(self, store: Store):
        self.store = store

    def _record(self, row) -> DatasetRecord:
        return DatasetRecord(name=row["name"], version=row["version"], type=row["type"],
                             description=row["description"], tags=json.loads(row["tags"]),
                             content_sha256=row["content_sha256"],
                             path=self.store.root / row["path"], files=row["files"],
                             created=row["created"], run_id=row["run_id"])

    def get(self, name: str, version: int | None = None) -> DatasetRecord:
        """A dataset by name, its latest version unless `version` is given."""
        if version is None:
            rows = self.store.query("SELECT * FROM datasets WHERE name=? ORDER BY version DESC "
                                    "LIMIT 1", (name,))
        else:
            rows = self.store.query("SELECT * FROM datasets WHERE name=? AND version=?",
                                    (name, version))
        if not rows:
            which = f"version {version} of " if version is not None else ""
            known = ", ".join(r["name"] for r in self.store.query(
                "SELECT DISTINCT name FROM datasets ORDER BY name")) or "none"
            raise DatasetNotFoundError(
                f"{which}dataset '{name}' is not registered in the local workspace "
                f"{self.store.root} (registered: {known}). Register it with `python -m "
                "shared_code.amltoolbox datasets register`, or run the model's pipeline, which "
                "prepares its own datasets on first use.")
        return self._record(rows[0])

    def exists(self, name: str, version: int | None = None) -> bool:
        """Whether that dataset (version) is registered."""
        sql, params = "SELECT 1 FROM datasets WHERE name=?", [name]
        if version is not None:
            sql, params = sql + " AND version=?", [name, version]
        return bool(self.store.query(sql, params))

    def add_tags(self, name: str, version: int, tags: dict) -> DatasetRecord:
        """Set `tags` on a registered version, keeping its other tags (as Azure ML's
        add_tags does; tags are the one mutable part of a registered dataset)."""
        with self.store.transaction() as db:
            row = db.execute("SELECT tags FROM datasets WHERE name=? AND version=?",
                             (name, version)).fetchone()
            if row is None:
                raise DatasetNotFoundError(f"version {version} of dataset '{name}' is not "
                                           "registered")
            db.execute("UPDATE datasets SET tags=? WHERE name=? AND version=?",
                       (dumps({**json.loads(row["tags"]), **tags}), name, version))
        return self.get(name, version)

    def list(self) -> list[DatasetRecord]:
        """Every version of every dataset."""
        return [self._record(r) for r in self.store.query(
            "SELECT * FROM datasets ORDER BY name, version")]

    def register(self, name: str, dataset_type: str, source: Path, description: str,  # pylint: disable=too-many-arguments
                 tags: dict | None = None, run_id: str | None = None
                 ) -> tuple[DatasetRecord, bool]:
        """Copy `source` (a file or folder) in as the next version of `name`; the record and
        whether it is new (the latest version's content again returns that version). With a
        `run_id`, only while that run is Running and its runner alive."""
        check_dataset_name(name)
        if dataset_type not in DATASET_TYPES:
            raise ValueError(f"dataset type '{dataset_type}' is not one of {DATASET_TYPES}")
        source = Path(source)
        files = dataset_files(source, name, self.store.root)
        content = tree_sha256(source)
        parent = self.store.root / DATASETS_DIR / name
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=parent))
        try:
            with Progress(f"copying {source} into dataset {name}", total=len(files),
                          unit="files") as progress, \
                    disk_full_reported(parent, f"copying {source} into dataset {name}",
                                       WORKSPACE_REMEDY):
                for file in files:
                    target = staging / (file.name if source.is_file()
                                        else file.relative_to(source))
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(file, target)
                    progress.advance()
            with self.store.transaction() as db:
                created = utc_now()  # before the check: a live runner was alive at this time
                if run_id is not None:
                    check_run_alive(db, run_id)
                latest = db.execute("SELECT * FROM datasets WHERE name=? ORDER BY version DESC "
                                    "LIMIT 1", (name,)).fetchone()
                if latest is not None and latest["content_sha256"] == content:
                    record = self._record(latest)
                    if dataset_problem(record):  # missing or changed: these files restore it
                        replace_folder(record.path, staging)
                    return record, False
                version = (latest["version"] if latest else 0) + 1
                final = parent / str(version)
                if final.exists():  # left by a registration killed before its commit
                    shutil.rmtree(final)
                staging.rename(final)
                db.execute("INSERT INTO datasets (name, version, type, description, tags, "
                           "content_sha256, path, files, created, run_id) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?)",
                           (name, version, dataset_type, description, dumps(tags or {}), content,
                            final.relative_to(self.store.root).as_posix(), len(files), created,
                            run_id))
            return self.get(name, version), True
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def dataset_problem(record: DatasetRecord) -> str | None:
    """What is wrong with a registered dataset version's files, or None (a single registered
    file is hashed as the file itself, as datasets.py hashed it)."""
    what = f"dataset {record.id}"
    problem = files_problem(what, record.path, record.content_sha256)
    entries = list(record.path.iterdir()) if problem and record.path.is_dir() else []
    if len(entries) == 1 and entries[0].is_file():
        return files_problem(what, entries[0], record.content_sha256)
    return problem
