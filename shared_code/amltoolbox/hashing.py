"""Content hashes of files and folders, used for reuse decisions and model checksums."""
import hashlib
from pathlib import Path
from typing import Iterable

from .progress import Progress

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The sha256 of one file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def tree_sha256(path: Path) -> str:
    """The sha256 of a file, or of a folder's files (relative paths and contents): the same
    content always gives the same hash, whatever the timestamps or listing order."""
    path = Path(path)
    if path.is_file():
        return file_sha256(path)
    files = sorted(p for p in path.rglob("*") if p.is_file())
    with Progress(f"hashing {path}", total=len(files), unit="files") as progress:
        return tree_digest(_file_hashes(path, files, progress))


def _file_hashes(root: Path, files: list[Path], progress: Progress):
    for file in files:
        yield file.relative_to(root).as_posix(), file_sha256(file)
        progress.advance()


def tree_digest(file_hashes: Iterable[tuple[str, str]]) -> str:
    """A folder's hash from its files' (relative posix path, sha256), in Path order."""
    digest = hashlib.sha256()
    for relative, sha256 in file_hashes:
        digest.update(relative.encode())
        digest.update(b"\0")
        digest.update(sha256.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def text_sha256(*parts: str) -> str:
    """The sha256 of some strings, kept apart so ('ab', 'c') and ('a', 'bc') differ."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
