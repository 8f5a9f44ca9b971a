"""Local workspaces damaged as a user's machine damages them, for tests: a truncated, garbage
or zero-length index, a read-only folder, deleted or changed model files."""
import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from shared_code.amltoolbox.local.store import INDEX_FILE
from shared_code.amltoolbox.local.workspace import LocalWorkspace

INDEX_DAMAGE = ("truncated", "garbage", "zero-length", "missing", "read-only")


def workspace_with_a_model(root: Path, artifact_dir: Path, name: str = "model_a") -> Path:
    """A workspace holding one registered model version (a stand-in artifact), its index
    checkpointed into workspace.db (no -wal file beside it), closed."""
    artifact_dir.mkdir(parents=True, exist_ok=True)
    (artifact_dir / "model.pkl").write_bytes(b"a model" * 2000)
    (artifact_dir / "model_info.json").write_text("{}", encoding="utf-8")
    workspace = LocalWorkspace(root)
    workspace.models.register(name, artifact_dir, "a stand-in model")
    workspace.store.query("PRAGMA wal_checkpoint(TRUNCATE)")
    workspace.close()
    return root


@contextlib.contextmanager
def read_only(folder: Path):
    """`folder` and its files read-only for this process while in the block: by permission
    bits, or for root (whom they do not stop) by the immutable attribute; skipped when
    neither is possible."""
    paths = [folder, *folder.rglob("*")]
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in paths}
        for path in paths:
            path.chmod(modes[path] & ~0o222)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    immutable = [str(p) for p in paths if p.is_dir() or p.name.startswith(INDEX_FILE)]
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", *immutable], capture_output=True, check=False).returncode:
        pytest.skip("root cannot make a folder read-only here (no chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *immutable], check=True)


@contextlib.contextmanager
def damaged_index(root: Path, damage: str):
    """The workspace at `root` with its index damaged as named (one of INDEX_DAMAGE)."""
    index = root / INDEX_FILE
    if damage == "truncated":
        with open(index, "r+b") as handle:
            handle.truncate(index.stat().st_size // 2)
    elif damage == "garbage":
        index.write_bytes(os.urandom(64 * 1024))
    elif damage == "zero-length":
        index.write_bytes(b"")
    elif damage == "missing":
        index.unlink()
    if damage == "read-only":
        with read_only(root):
            yield index
        return
    yield index


def index_is_intact(root: Path) -> bool:
    """SQLite's integrity check passes on the workspace's index."""
    with contextlib.closing(sqlite3.connect(root / INDEX_FILE)) as connection:
        return connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
