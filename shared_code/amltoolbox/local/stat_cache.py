"""Content hashes of folders that read only the files that changed: a cache of file stats in
the local workspace's index, kept as git's index and DVC's state database keep theirs.

A file's recorded sha256 is trusted while its size, mtime_ns, ctime_ns (set on every write,
so a restored mtime does not hide an edit) and inode (a file replaced by another) are as
recorded, and it changed at least RACY_WINDOW_NS before it was hashed (times are kept in
ticks: git's "racily clean"). A folder whose signature of all names and stats matches its
record, with no racy file then, is not looked into at all. Not seen: an edit that keeps the
size and restores mtime, ctime and inode (a clock set back, a file system without ctime).
"""
import hashlib
import os
import time
from array import array
from pathlib import Path
from typing import Callable

from ..hashing import file_sha256, tree_digest
from .store import Store

RACY_WINDOW_NS = 2_000_000_000  # FAT's 2 s tick, the coarsest in common use

_SCHEMA = """
CREATE TABLE IF NOT EXISTS stat_cache_folders (
    folder TEXT PRIMARY KEY, signature TEXT NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stat_cache_files (
    folder TEXT NOT NULL, path TEXT NOT NULL, stats TEXT NOT NULL, hashed_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL, PRIMARY KEY (folder, path));
"""


def _stats(stat: os.stat_result) -> tuple[int, int, int, int]:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def _walk(folder: str, relative: str = ""):
    """(relative folder, names, flat stats: four numbers a file) of each folder, in sorted
    order; symlinked files are read, symlinked folders not, as hashing.tree_sha256 does."""
    with os.scandir(folder) as entries:
        entries = sorted(entries, key=_name)
    names, stats, folders = [], array("q"), []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            folders.append(entry)
        elif entry.is_file():
            names.append(entry.name)
            stats.extend(_stats(entry.stat()))
    yield relative, names, stats
    for entry in folders:
        yield from _walk(entry.path, f"{relative}{entry.name}/")


def _name(entry: os.DirEntry) -> str:
    return entry.name


def _per_file(stats: array) -> list[tuple[int, ...]]:
    """A folder's flat stats, a tuple a file."""
    return [tuple(stats[i:i + 4]) for i in range(0, len(stats), 4)]


def _signature(batches) -> str:
    """One hash of every file's relative path and stats."""
    digest = hashlib.sha256()
    for relative, names, stats in batches:
        digest.update(f"{relative}\0{chr(0).join(names)}\0".encode("utf-8", "surrogateescape"))
        digest.update(stats.tobytes())
    return digest.hexdigest()


def _racy(stats: tuple[int, int, int, int], hashed_ns: int) -> bool:
    """Whether the file changed too shortly before it was hashed for its stats to vouch
    for its content."""
    return max(stats[1], stats[2]) >= hashed_ns - RACY_WINDOW_NS


def _sort_key(path: str) -> list[str]:
    return path.split("/")  # Path's order, which tree_sha256 hashes files in


class StatCache:
    """Hashes of folders and files as hashing.tree_sha256 gives them, reading only the files
    that changed."""

    def __init__(self, store: Store, clock: Callable[[], int] = time.time_ns):
        self.store = store
        self.clock = clock  # now, in ns since the epoch (file times are too)
        self._ready = False

    def _connection(self):
        connection = self.store.connection
        if not self._ready:
            connection.executescript(_SCHEMA)
            self._ready = True
        return connection

    def tree_sha256(self, path: Path) -> str:
        """hashing.tree_sha256(path) of a folder or a file, reading only the files that changed
        since it was last asked."""
        path = Path(path).resolve()
        key = str(path)
        started_ns = self.clock()  # before any stat: a file changed later is racy
        if path.is_dir():
            batches = list(_walk(key))
        else:  # a file, as a folder of one whose relative path is ""
            batches = [("", [""], array("q", _stats(path.stat())))]
        signature = _signature(batches)
        row = self._connection().execute("SELECT signature, sha256 FROM stat_cache_folders "
                                         "WHERE folder=?", (key,)).fetchone()
        if row is not None and row[0] == signature:
            return row[1]
        hashes, any_racy = self._file_hashes(key, batches, started_ns)
        sha256 = (tree_digest((p, hashes[p]) for p in sorted(hashes, key=_sort_key))
                  if path.is_dir() else hashes[""])
        with self.store.transaction() as db:
            if any_racy:  # the whole-folder shortcut must not vouch for a racy file
                db.execute("DELETE FROM stat_cache_folders WHERE folder=?", (key,))
            else:
                db.execute("INSERT OR REPLACE INTO stat_cache_folders VALUES (?,?,?)",
                           (key, signature, sha256))
        return sha256

    def _file_hashes(self, key: str, batches, started_ns: int) -> tuple[dict[str, str], bool]:
        """Each file's sha256 by relative path, read only where the rule says so, and whether
        one was racy; the records are brought up to date."""
        recorded = {path: (stats, hashed_ns, sha256) for path, stats, hashed_ns, sha256 in
                    self._connection().execute("SELECT path, stats, hashed_ns, sha256 FROM "
                                               "stat_cache_files WHERE folder=?", (key,))}
        hashes, changed, any_racy = {}, [], False
        for relative, names, stats in batches:
            for name, file_stats in zip(names, _per_file(stats)):
                path, text = relative + name, ",".join(map(str, file_stats))
                known = recorded.pop(path, None)
                if known is not None and known[0] == text and not _racy(file_stats, known[1]):
                    hashes[path] = known[2]
                    continue
                hashes[path] = file_sha256(Path(key, path))
                changed.append((key, path, text, started_ns, hashes[path]))
                any_racy = any_racy or _racy(file_stats, started_ns)
        with self.store.transaction() as db:
            db.executemany("DELETE FROM stat_cache_files WHERE folder=? AND path=?",
                           [(key, path) for path in recorded])
            db.executemany("INSERT OR REPLACE INTO stat_cache_files VALUES (?,?,?,?,?)", changed)
        return hashes, any_racy
