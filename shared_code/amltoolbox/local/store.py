"""The local workspace's SQLite index: one file, safe for several processes at once.

Writes go through `transaction()`, which takes SQLite's write lock up front (BEGIN
IMMEDIATE), so two processes that allocate a version never read the same maximum.
"""
import contextlib
import json
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from ..paths import workspace_root

INDEX_FILE = "workspace.db"
_BUSY_TIMEOUT_SECONDS = 60

_SCHEMA = """
CREATE TABLE IF NOT EXISTS datasets (
    name TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL,
    description TEXT NOT NULL, tags TEXT NOT NULL, content_sha256 TEXT NOT NULL,
    path TEXT NOT NULL, files INTEGER NOT NULL, created TEXT NOT NULL,
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


def utc_now() -> str:
    """Now, as the ISO text every record uses."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def dumps(value) -> str:
    """JSON text for a column, stable across runs."""
    return json.dumps(value, sort_keys=True, default=str)


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the index to WAL, so readers never wait for a writer.

    The switch needs the new index to itself, and SQLite does not wait for that as it waits
    for a write lock: processes opening a new workspace at the same moment retry instead.
    """
    deadline = time.monotonic() + _BUSY_TIMEOUT_SECONDS
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


class Store:
    """The workspace folder and its index."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else workspace_root()
        self._connection: sqlite3.Connection | None = None

    @property
    def connection(self) -> sqlite3.Connection:
        """The index, opened (and created) on first use."""
        if self._connection is None:
            self.root.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.root / INDEX_FILE, timeout=_BUSY_TIMEOUT_SECONDS,
                                         isolation_level=None)
            connection.row_factory = sqlite3.Row
            _use_wal(connection)
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
            self._connection = connection
        return self._connection

    @contextlib.contextmanager
    def transaction(self):
        """A write transaction holding the index's write lock from its first statement."""
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def query(self, sql: str, params=()) -> list[sqlite3.Row]:
        """Rows of a read."""
        return self.connection.execute(sql, params).fetchall()

    def close(self) -> None:
        """Close the index (it reopens on next use)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
