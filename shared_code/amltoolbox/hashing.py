"""Content hashes of files and folders, used for reuse decisions and model checksums."""
import hashlib
import os
from pathlib import Path
from typing import Iterable, Iterator

from .progress import Progress

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The sha256 of one file's bytes."""
    digest = hashlib.sha256()
    # Unbuffered: a buffered reader's setup costs more than a small file's hashing.
    with open(path, "rb", buffering=0) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def tree_sha256(path: Path) -> str:
    """The sha256 of a file, or of a folder's files (relative paths and contents): the same
    content always gives the same hash, whatever the timestamps or listing order."""
    path = Path(path)
    if path.is_file():
        return file_sha256(path)
    files = list(_tree_files(str(path)))
    with Progress(f"hashing {path}", total=len(files), unit="files") as progress:
        return tree_digest(_file_hashes(path, files, progress))


def _tree_files(folder: str, relative: str = "") -> Iterator[str]:
    """The relative posix paths of the files under `folder` in Path order (each folder's
    entries sorted by name, a subfolder's files where its name sorts), as Path.rglob finds
    them: files reached through a symlink are read, folders reached through one are not."""
    with os.scandir(folder) as entries:
        entries = sorted(entries, key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _tree_files(entry.path, f"{relative}{entry.name}/")
        elif entry.is_file():
            yield relative + entry.name


def _file_hashes(root: Path, files: list[str], progress: Progress):
    for file in files:
        yield file, file_sha256(os.path.join(root, file))
        progress.advance()


def tree_digest(file_hashes: Iterable[tuple[str, str]]) -> str:
    """A folder's hash from its files' (relative posix path, sha256), in Path order."""
    digest = TreeDigest()
    for relative, sha256 in file_hashes:
        digest.add(relative, sha256)
    return digest.hexdigest()


class TreeDigest:
    """tree_digest() of files given one at a time, in Path order (a batch hashes the files its
    workers read as their answers come back)."""

    def __init__(self):
        self._digest = hashlib.sha256()

    def add(self, relative: str, sha256: str) -> None:
        """The next file's relative posix path and sha256."""
        self._digest.update(f"{relative}\0{sha256}\n".encode())

    def hexdigest(self) -> str:
        """The folder's hash."""
        return self._digest.hexdigest()


def text_sha256(*parts: str) -> str:
    """The sha256 of some strings, kept apart so ('ab', 'c') and ('a', 'bc') differ."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
