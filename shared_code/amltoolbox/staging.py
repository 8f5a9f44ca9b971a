"""Folders that appear whole or not at all, for data that several processes may write."""
import contextlib
import shutil
import tempfile
from pathlib import Path


def holds_files(path: Path) -> bool:
    """A file, or a folder with a file somewhere in it."""
    path = Path(path)
    return path.is_file() or (path.is_dir() and any(p.is_file() for p in path.rglob("*")))


@contextlib.contextmanager
def folder_written_whole(folder: Path):
    """Yield a staging folder beside `folder` that becomes `folder` in one rename on success;
    files already in `folder` (the user's, or a faster process's) are kept instead."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        yield staging
        if folder.is_dir() and not holds_files(folder):
            shutil.rmtree(folder, ignore_errors=True)
        try:
            staging.rename(folder)
        except OSError:
            if not holds_files(folder):
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def replace_folder(folder: Path, replacement: Path) -> None:
    """Put `replacement` where `folder` is, moving what is there aside first (a registry
    restoring a version's damaged files from the same content registered again)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.exists():
        aside = Path(tempfile.mkdtemp(prefix=".damaged-", dir=folder.parent))
        folder.rename(aside / folder.name)
        shutil.rmtree(aside, ignore_errors=True)
    replacement.rename(folder)
