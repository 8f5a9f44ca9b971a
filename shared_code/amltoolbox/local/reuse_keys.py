"""The parts of each step's reuse key (fingerprint.py), kept at every run so that `--explain`
can say what made a step run again: the script, the shared code's manifest, the environment
files, the arguments, each input and the champion; code contents are kept once per distinct
content, for a diff stat. A run recorded before parts were kept has none."""
import json
import os
import sqlite3
from pathlib import Path

from ..paths import REPO_ROOT
from ..records import COMPLETED, REUSED
from .store import Store

PARTS_VERSION = 1
BLOBS_DIR = "code_blobs"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reuse_keys (
    run_id TEXT NOT NULL, step TEXT NOT NULL, parts TEXT NOT NULL, PRIMARY KEY (run_id, step));
CREATE TABLE IF NOT EXISTS code_manifests (sha256 TEXT PRIMARY KEY, files TEXT NOT NULL);
"""


def step_parts(*, script: tuple[str, str], code: str, environment: dict, arguments,  # pylint: disable=too-many-arguments
               inputs: dict, champion: str | None, reuse: dict) -> dict:
    """One step's key parts as stored. `script` is (relative path, sha256), `code` the
    manifest's hash, `reuse` whether the step list and the command allowed reuse."""
    return {"version": PARTS_VERSION, "script": {"path": script[0], "sha256": script[1]},
            "code": code, "environment": environment, "arguments": list(arguments),
            "inputs": inputs, "champion": champion, "reuse": reuse}


class ReuseKeys:
    """Reuse key parts, code manifests and code file contents in a local workspace."""

    def __init__(self, store: Store, repo_root: Path = REPO_ROOT):
        self.store, self.repo_root = store, Path(repo_root)
        self._ready = False

    def _db(self) -> sqlite3.Connection:
        """The index, with the tables made on the first write (added after the first
        release)."""
        connection = self.store.connection
        if not self._ready:
            with self.store.diagnosed():
                connection.executescript(_SCHEMA)
            self._ready = True
        return connection

    def _read(self, sql: str, params) -> sqlite3.Row | None:
        """One row of a read; None where the tables were never made (a read writes nothing:
        the studio only reads)."""
        connection = self.store.connection
        with self.store.diagnosed():
            if not self._ready and connection.execute(
                    "SELECT 1 FROM sqlite_master WHERE name='reuse_keys'").fetchone() is None:
                return None
            return connection.execute(sql, params).fetchone()

    def blob_path(self, sha256: str) -> Path:
        """Where the content of a code file with this sha256 is kept."""
        return self.store.root / BLOBS_DIR / sha256[:2] / sha256

    def keep_file(self, relative: str, sha256: str) -> None:
        """Keep a code file's content (once per content), written to a temp name and renamed."""
        target = self.blob_path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes((self.repo_root / relative).read_bytes())
            os.replace(temporary, target)
        except FileNotFoundError:  # edited away meanwhile: its diff stat is not shown
            temporary.unlink(missing_ok=True)

    def save_manifest(self, sha256: str, manifest: dict[str, str]) -> None:
        """Record a code manifest, and its files' contents, unless recorded already (the
        no-op run's case: one indexed read)."""
        db = self._db()
        with self.store.diagnosed():
            if db.execute("SELECT 1 FROM code_manifests WHERE sha256=?", (sha256,)).fetchone():
                return
        for relative, file_sha in manifest.items():
            self.keep_file(relative, file_sha)
        with self.store.transaction() as transaction:
            # Insertion order kept: it is the order the common hash reads the files in.
            transaction.execute("INSERT OR IGNORE INTO code_manifests VALUES (?,?)",
                                (sha256, json.dumps(manifest)))

    def save_parts(self, run_id: str, step: str, parts: dict) -> None:
        """Record one step's key parts, keeping its script's content."""
        self._db()
        self.keep_file(parts["script"]["path"], parts["script"]["sha256"])
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO reuse_keys VALUES (?,?,?)",
                       (run_id, step, json.dumps(parts, sort_keys=True)))

    def parts(self, run_id: str, step: str) -> dict | None:
        """A step's key parts, or None when its run recorded none."""
        row = self._read("SELECT parts FROM reuse_keys WHERE run_id=? AND step=?",
                         (run_id, step))
        return json.loads(row[0]) if row else None

    def manifest(self, sha256: str) -> dict[str, str] | None:
        """A recorded code manifest, or None."""
        row = self._read("SELECT files FROM code_manifests WHERE sha256=?", (sha256,))
        return json.loads(row[0]) if row else None

    def content(self, sha256: str) -> bytes | None:
        """A kept code file's content, or None."""
        path = self.blob_path(sha256)
        return path.read_bytes() if path.is_file() else None

    def previous(self, model: str, step: str, run_id: str, started: str) -> tuple[str, dict] | None:
        """The latest earlier run of `model` whose step `step` completed or was reused and
        has key parts: (its run id, its parts). It is the run whose result this step would
        otherwise have reused."""
        row = self._read(
            "SELECT s.run_id, k.parts FROM step_runs s "
            "JOIN runs r ON r.id = s.run_id "
            "JOIN reuse_keys k ON k.run_id = s.run_id AND k.step = s.step "
            # Started before, or in the same millisecond but recorded first (its rowid).
            "WHERE r.model=? AND s.step=? AND s.run_id<>? AND (s.started<? OR (s.started=? "
            "AND s.rowid < (SELECT rowid FROM step_runs WHERE run_id=? AND step=?))) "
            "AND s.status IN (?, ?) ORDER BY s.started DESC, s.rowid DESC LIMIT 1",
            (model, step, run_id, started, started, run_id, step, COMPLETED, REUSED))
        return (row[0], json.loads(row[1])) if row else None


def input_parts(step_inputs: dict, specs: dict, hashes: dict) -> dict:
    """Each input's part: a dataset's name, version and content hash, or an earlier step's
    output and its hash. `specs` are the InputSpecs the step is given."""
    parts = {}
    for name, source in step_inputs.items():
        spec = specs[name]
        parts[name] = ({"dataset": spec.name, "version": spec.version, "sha256": hashes[name]}
                       if spec.registered else
                       {"step": source.step, "output": source.output, "sha256": hashes[name]})
    return parts


def environment_part(manifest: dict[str, str], environment_files: list[str]) -> dict:
    """The environment files' sha256 (the conda file and the lock), from the code manifest."""
    return {path: manifest[path] for path in environment_files if path in manifest}
