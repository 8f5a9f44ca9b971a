"""The local workspace's SQLite index: one file, safe for several processes at once (writes
take the write lock up front, BEGIN IMMEDIATE). An unusable index (damaged, read-only, lost
while files remain) is one line saying what to do (WorkspaceError), never silently replaced.
"""
import contextlib
import json
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from ..errors import UserError
from ..paths import WORKSPACE_ENV_VAR, workspace_root

INDEX_FILE = "workspace.db"
_BUSY_TIMEOUT_SECONDS = 60
# The folders of registered files, as datasets.py, models.py and runs.py name them.
RECORD_FOLDERS = ("datasets", "models", "runs")

# SQLite's primary result codes (sqlite3.h) that say the index itself cannot be used.
_DAMAGED = {11: "is damaged", 26: "is not a SQLite database"}  # CORRUPT, NOTADB
_NOT_WRITABLE = {3, 8, 14}  # PERM, READONLY, CANTOPEN
_NO_SPACE = {10, 13}  # IOERR, FULL
_BUSY = 5

_SCHEMA = """
CREATE TABLE IF NOT EXISTS datasets (
    name TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
    description TEXT NOT NULL, tags TEXT NOT NULL, content_sha256 TEXT NOT NULL,
    path TEXT NOT NULL, files INTEGER NOT NULL, created TEXT NOT NULL, run_id TEXT,
    PRIMARY KEY (name, version));
CREATE TABLE IF NOT EXISTS models (
    name TEXT NOT NULL, version INTEGER NOT NULL, sha256 TEXT NOT NULL, path TEXT NOT NULL,
    description TEXT NOT NULL, tags TEXT NOT NULL, properties TEXT NOT NULL,
    lineage TEXT NOT NULL, run_id TEXT, created TEXT NOT NULL,
    PRIMARY KEY (name, version), UNIQUE (name, sha256));
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, model TEXT NOT NULL, experiment TEXT NOT NULL, status TEXT NOT NULL,
    started TEXT NOT NULL, ended TEXT, error TEXT, properties TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS step_runs (
    run_id TEXT NOT NULL, step TEXT NOT NULL, status TEXT NOT NULL, fingerprint TEXT,
    reused_from TEXT, started TEXT NOT NULL, ended TEXT, duration REAL, error TEXT,
    outputs TEXT NOT NULL DEFAULT '{}', output_hashes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, step));
CREATE INDEX IF NOT EXISTS step_runs_fingerprint ON step_runs (fingerprint, status);
CREATE TABLE IF NOT EXISTS metrics (
    run_id TEXT NOT NULL, step TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    logged TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS images (
    run_id TEXT NOT NULL, step TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tags (
    run_id TEXT NOT NULL, step TEXT NOT NULL, key TEXT NOT NULL, value TEXT,
    PRIMARY KEY (run_id, step, key));
CREATE INDEX IF NOT EXISTS metrics_step ON metrics (run_id, step);
CREATE INDEX IF NOT EXISTS images_step ON images (run_id, step);
CREATE INDEX IF NOT EXISTS runs_status ON runs (status);
"""


# Columns added since the first release, added to an index made before them.
_ADDED_COLUMNS = (("datasets", "run_id", "TEXT"),)


class WorkspaceError(UserError):
    """The workspace's index cannot be used as it is; the message names it and what to do."""


def utc_now() -> str:
    """Now, as the ISO text every record uses."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def dumps(value) -> str:
    """JSON text for a column, stable across runs."""
    return json.dumps(value, sort_keys=True, default=str)


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the index to WAL, so readers never wait for a writer; the switch needs the index
    to itself and SQLite does not wait for that, so it is retried."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _add_missing_columns(connection: sqlite3.Connection) -> None:
    for table, column, declaration in _ADDED_COLUMNS:
        if column in _columns(connection, table):
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            if column not in _columns(connection, table):  # another process may have added it
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def recorded_folders(root: Path) -> list[Path]:
    """The version folders of registered models and datasets, and the run folders, in `root`
    (two levels down: nothing below them is read)."""
    found = []
    for kind in RECORD_FOLDERS:
        folder = root / kind
        if not folder.is_dir():
            continue
        if kind == "runs":
            found.extend(p for p in folder.iterdir() if p.is_dir())
            continue
        for name in (p for p in folder.iterdir() if p.is_dir()):
            found.extend(p for p in name.iterdir() if p.is_dir() and p.name.isdigit())
    return found


def diagnosis(error: sqlite3.Error, index: Path) -> str | None:
    """What is wrong with the index and what to do, in one line; None for other errors."""
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    root = index.parent
    if code in _DAMAGED:
        return (f"the workspace index {index} {_DAMAGED[code]} ({error}): restore it from a "
                f"backup, or move {root} aside to start a new workspace "
                f"(or set {WORKSPACE_ENV_VAR} to another folder)")
    if code in _NOT_WRITABLE:
        return (f"the workspace {root} is read-only or cannot be opened ({error}): make it "
                f"writable (chmod -R u+w {root}), or set {WORKSPACE_ENV_VAR} to a writable "
                "folder")
    if code in _NO_SPACE:
        return (f"cannot read or write the workspace index {index} ({error}): make room on "
                "its disk and check the disk for errors")
    if code == _BUSY:
        return (f"the workspace index {index} stayed locked by another process for "
                f"{_BUSY_TIMEOUT_SECONDS} s: let the other command finish, then run this again")
    return None


class Store:
    """The workspace folder and its index."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else workspace_root()
        self._connection: sqlite3.Connection | None = None

    @property
    def index_file(self) -> Path:
        """The SQLite file of the index."""
        return self.root / INDEX_FILE

    @property
    def connection(self) -> sqlite3.Connection:
        """The index, opened (and created in a new workspace) on first use."""
        if self._connection is None:
            with self.diagnosed():
                self._connection = self._open()
        return self._connection

    def _open(self) -> sqlite3.Connection:
        self._refuse_lost_index()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except PermissionError as error:
            raise WorkspaceError(f"cannot create the workspace {self.root} ({error.strerror}): "
                                 f"set {WORKSPACE_ENV_VAR} to a folder you can write") from None
        connection = sqlite3.connect(self.index_file, timeout=_BUSY_TIMEOUT_SECONDS,
                                     isolation_level=None)
        try:
            connection.row_factory = sqlite3.Row
            _use_wal(connection)
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
            _add_missing_columns(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _refuse_lost_index(self) -> None:
        """A missing or empty index beside registered files was lost: refuse to start anew."""
        index = self.index_file
        if index.is_file() and index.stat().st_size > 0:
            return
        found = recorded_folders(self.root)
        if found:
            shown = ", ".join(str(p.relative_to(self.root)) for p in found[:3])
            shown += ", ..." if len(found) > 3 else ""
            raise WorkspaceError(
                f"the workspace index {index} is {'empty' if index.exists() else 'missing'}, "
                f"but {self.root} holds {len(found)} registered folder(s) ({shown}): the "
                "index was lost, and a new one would register over those files. Restore "
                f"{INDEX_FILE} from a backup, or move {self.root} aside to start a new workspace.")

    @contextlib.contextmanager
    def diagnosed(self):
        """SQLite errors that say the index cannot be used, as a WorkspaceError."""
        try:
            yield
        except sqlite3.Error as error:
            message = diagnosis(error, self.index_file)
            if message is None:
                raise
            raise WorkspaceError(message) from None

    @contextlib.contextmanager
    def transaction(self):
        """A write transaction holding the index's write lock from its first statement."""
        connection = self.connection
        with self.diagnosed():
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                with contextlib.suppress(sqlite3.OperationalError):  # SQLite may have rolled back
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def query(self, sql: str, params=()) -> list[sqlite3.Row]:
        """Rows of a read."""
        connection = self.connection
        with self.diagnosed():
            return connection.execute(sql, params).fetchall()

    def integrity_problems(self) -> list[str]:
        """What SQLite's integrity check finds wrong with the index (nothing: [])."""
        rows = [row[0] for row in self.query("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    def close(self) -> None:
        """Close the index (it reopens on next use)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
