"""The workspace's files that the studio reads or serves: only those inside the workspace.

A path is resolved (symbolic links and '..' followed) before it is checked, so neither a
relative path that climbs out, nor an absolute one, nor a link pointing elsewhere gets out.
"""
from pathlib import Path

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp"}
TAIL_BYTES = 64 * 1024  # enough for the last lines of a log, however long the log is


class OutsideWorkspaceError(PermissionError):
    """A path that leads out of the workspace."""


def resolve_inside(root: Path, path: str | Path) -> Path:
    """The real path of `path` (relative to `root`, or absolute) if it lies inside `root`."""
    real_root = Path(root).resolve()
    real = (real_root / path).resolve()
    if not real.is_relative_to(real_root):
        raise OutsideWorkspaceError(f"{path} is not inside the workspace {real_root}")
    return real


def relative_inside(root: Path, path: str | Path) -> str | None:
    """`path` relative to the workspace (for a URL), or None when it is outside it."""
    try:
        return resolve_inside(root, path).relative_to(Path(root).resolve()).as_posix()
    except OutsideWorkspaceError:
        return None


def image_type(path: Path) -> str | None:
    """The media type of an image file the studio shows, or None for any other file."""
    return IMAGE_TYPES.get(path.suffix.lower())


def read_tail(path: Path, lines: int) -> list[str] | None:
    """The last `lines` lines of a text file, or None when there is no such file."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - TAIL_BYTES))
            text = handle.read().decode("utf-8", errors="replace")
    except (FileNotFoundError, IsADirectoryError):
        return None
    return text.splitlines()[-lines:]
