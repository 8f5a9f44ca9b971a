"""What may be registered as a dataset: a file, or a folder of data files of bounded size. A
system or home folder, or one holding the workspace, is refused by its path; any other is
listed only until it passes the bounds, so `--path /` never walks the file system."""
import os
from pathlib import Path

from ..errors import UserError

MAX_FILES = 200_000
MAX_BYTES = 50 * 2**30
# Trees of the operating system (Linux, macOS) that never hold data: refused with everything
# under them.
SYSTEM_TREES = tuple(Path(p) for p in (
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/proc", "/sbin", "/sys",
    "/System", "/private/etc"))
# Folders of the system whose subfolders may hold a project (a Docker image's /usr/src/app,
# a Jenkins workspace under /var/lib/jenkins): refused themselves only.
SYSTEM_FOLDERS = tuple(Path(p) for p in (
    "/usr", "/usr/local", "/run", "/var/lib", "/var/log", "/Library", "/Applications",
    "/private/var/db"))
# Folders that hold data folders but are too broad to be one: refused themselves only.
BROAD_FOLDERS = tuple(Path(p) for p in ("/home", "/Users", "/var", "/private", "/tmp", "/mnt",
                                        "/media", "/opt", "/srv", "/root", "/Volumes"))


class DatasetSourceError(UserError):
    """A file or folder that cannot be registered as a dataset."""


def refusal(source: Path, workspace: Path) -> str | None:
    """Why `source` (resolved) may not be a dataset of `workspace`, judged by its path alone;
    None when it may."""
    if source.parent == source:
        return "it is the root of the file system"
    if source == Path.home().resolve() or source in BROAD_FOLDERS:
        return "it is a folder of folders, not of data"
    system = next((f for f in SYSTEM_TREES if source == f or f in source.parents),
                  source if source in SYSTEM_FOLDERS else None)
    if system is not None:
        return f"it is a system folder ({system})"
    if source == workspace or source in workspace.parents:
        return f"it holds the local workspace {workspace}, which would be copied into itself"
    return None


def dataset_files(source: Path, name: str, workspace: Path) -> list[Path]:
    """The files to register from `source` as dataset `name` in `workspace`, sorted; a
    DatasetSourceError saying what to give instead when `source` cannot be one."""
    given = Path(source)
    what_to_do = ("give the file, or the folder that holds only the data (e.g. "
                  "model_a/data/training)")
    if not given.exists():
        raise DatasetSourceError(f"{given} does not exist: {what_to_do}")
    resolved = given.resolve()
    problem = refusal(resolved, Path(workspace).resolve())
    if problem:
        raise DatasetSourceError(f"refusing to register {given} as dataset '{name}': {problem}; "
                                 f"{what_to_do}")
    if resolved.is_file():
        return [given]
    files = _bounded_listing(given, name, what_to_do)
    if not files:
        raise DatasetSourceError(f"{given} holds no files to register as dataset '{name}'; "
                                 "put the data there first")
    return sorted(files)


def _bounded_listing(folder: Path, name: str, what_to_do: str) -> list[Path]:
    files, size = [], 0

    def unreadable(error: OSError):
        raise DatasetSourceError(f"cannot read {error.filename} ({error.strerror}) in {folder}, "
                                 f"given as dataset '{name}': make it readable, or {what_to_do}")
    for parent, _, names in os.walk(folder, onerror=unreadable):
        for file_name in names:
            path = Path(parent) / file_name
            if not path.is_file():
                continue  # a socket, a device, a broken link: not data
            files.append(path)
            size += path.stat().st_size
            if len(files) > MAX_FILES or size > MAX_BYTES:
                bound = (f"{MAX_FILES:,} files" if len(files) > MAX_FILES
                         else f"{MAX_BYTES / 2**30:g} GiB")
                raise DatasetSourceError(f"{folder}, given as dataset '{name}', holds more than "
                                         f"{bound}, more than a local dataset may: {what_to_do}")
    return files
