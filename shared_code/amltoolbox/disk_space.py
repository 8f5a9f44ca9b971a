"""A full disk said in one line: which path, which disk, how much is free, what to do. An
OSError with ENOSPC or EDQUOT, or shutil.copytree's shutil.Error listing them, becomes a
DiskFullError; what was being written is removed by its writer, as on any failure."""
import contextlib
import errno
import os
import shutil
from pathlib import Path

from .errors import UserError

FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
WORKSPACE_REMEDY = ("move the local workspace to another disk (set $AML_LOCAL_WORKSPACE to a "
                    "folder there)")


class DiskFullError(UserError):
    """No space left where something was being written."""


def is_disk_full(error: BaseException) -> bool:
    """Whether `error` says the disk (or the user's quota) is full."""
    if isinstance(error, shutil.Error):
        failures = error.args[0] if error.args and isinstance(error.args[0], list) else []
        return any(f"[Errno {number}]" in str(failure)
                   for failure in failures for number in FULL_ERRNOS)
    return isinstance(error, OSError) and error.errno in FULL_ERRNOS


def mount_point(path: Path) -> Path:
    """The mount point of the file system that holds `path` (or would hold it)."""
    path = Path(os.path.abspath(path))
    while not path.exists():
        path = path.parent
    while not os.path.ismount(path):
        path = path.parent
    return path


def disk_full_message(path: Path, doing: str, remedy: str) -> str:
    """'no space left on the disk ... while <doing>: <remedy>'."""
    disk = mount_point(path)
    try:
        free = f", {shutil.disk_usage(disk).free / 2 ** 20:,.0f} MiB free now"
    except OSError:
        free = ""
    return (f"no space left on the disk mounted at {disk}{free}, while {doing} ({path}); "
            f"nothing was kept. Free space on that disk, or {remedy}, and try again")


@contextlib.contextmanager
def disk_full_reported(path: Path, doing: str, remedy: str):
    """Turn a full disk met inside the block into a DiskFullError naming `path`."""
    try:
        yield
    except OSError as error:
        if is_disk_full(error):
            raise DiskFullError(disk_full_message(path, doing, remedy)) from None
        raise
