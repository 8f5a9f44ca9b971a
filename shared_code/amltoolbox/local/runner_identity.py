"""Which process a run belongs to: its runner's pid and when that process started (a pid is
reused once its process ends). The start comes from /proc on Linux (boot id and start ticks,
proc(5)), elsewhere from psutil."""
import functools
import os
import sys
from pathlib import Path

PID, PID_STARTED = "pid", "pid_started"  # the keys of a run's properties
_ENDED_STATES = ("Z", "X", "x")  # zombie, dead: the process has ended, unreaped


@functools.cache
def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def process_started(pid) -> str | None:
    """When the live process `pid` started, as a token to compare; None when none lives."""
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        return None
    if sys.platform.startswith("linux"):
        return _started_from_proc(pid)
    return _started_from_psutil(pid)


def _started_from_proc(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: count from its end.
    fields = stat[stat.rindex(")") + 2:].split()
    if fields[0] in _ENDED_STATES:  # field 3, the state
        return None
    return f"{_boot_id()}:{fields[19]}"  # field 22, starttime


def _started_from_psutil(pid: int) -> str | None:
    import psutil
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        return repr(process.create_time())
    except psutil.NoSuchProcess:
        return None


def runner_identity() -> dict:
    """This process's identity, recorded in the properties of the runs it starts."""
    pid = os.getpid()
    return {PID: pid, PID_STARTED: process_started(pid)}


def runner_alive(properties: dict) -> bool:
    """Whether the runner recorded in a run's properties still runs (the same process)."""
    started = properties.get(PID_STARTED)
    return bool(started) and process_started(properties.get(PID)) == started
