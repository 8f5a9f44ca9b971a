"""Content hashes of files and folders, used for reuse decisions and model checksums."""
import hashlib
from pathlib import Path

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
    """The sha256 of a file, or of a folder's files: their relative paths and contents.

    A folder's hash does not depend on timestamps or on the order the file system lists
    files in, so the same content always gives the same hash.
    """
    path = Path(path)
    if path.is_file():
        return file_sha256(path)
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file())
    with Progress(f"hashing {path}", total=len(files), unit="files") as progress:
        for file in files:
            digest.update(file.relative_to(path).as_posix().encode())
            digest.update(b"\0")
            digest.update(file_sha256(file).encode())
            digest.update(b"\n")
            progress.advance()
    return digest.hexdigest()


def text_sha256(*parts: str) -> str:
    """The sha256 of some strings, kept apart so ('ab', 'c') and ('a', 'bc') differ."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
