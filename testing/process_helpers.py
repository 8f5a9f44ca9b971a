"""Helpers for tests that start and kill processes: they wait on events (a line, a file, a
process state), with generous upper bounds, never for a fixed time."""
import contextlib
import os
import select
import time
from typing import Callable, TypeVar

import psutil

# An upper bound for a loaded machine, not a pace: a wait ends as soon as its event comes.
PATIENCE_SECONDS = 180
_POLL_SECONDS = 0.005

T = TypeVar("T")


def wait_for(condition: Callable[[], T], what: str, timeout: float = PATIENCE_SECONDS) -> T:
    """condition()'s first true value, checked until it comes; an AssertionError naming `what`
    when it has not come within `timeout`."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        time.sleep(_POLL_SECONDS)
    return value


def session_processes(session_id: int) -> list[psutil.Process]:
    """The processes of a session that have not ended (a zombie has ended, unreaped)."""
    found = []
    for process in psutil.process_iter():
        with contextlib.suppress(ProcessLookupError, PermissionError, psutil.NoSuchProcess):
            if (os.getsid(process.pid) == session_id
                    and process.status() != psutil.STATUS_ZOMBIE):
                found.append(process)
    return found


def wait_for_exit(pid: int, timeout: float = PATIENCE_SECONDS) -> None:
    """Return when process `pid` has ended (at most `timeout` later): on Linux its pidfd
    becomes readable when it ends, whoever its parent is."""
    if hasattr(os, "pidfd_open"):
        try:
            descriptor = os.pidfd_open(pid)
        except ProcessLookupError:
            return
        try:
            poller = select.poll()
            poller.register(descriptor, select.POLLIN)
            poller.poll(timeout * 1000)
        finally:
            os.close(descriptor)
        return
    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.wait_procs([psutil.Process(pid)], timeout=timeout)


def leftover_processes(session_id: int, timeout: float = PATIENCE_SECONDS) -> list[str]:
    """The processes of a session still running once each was given `timeout` to end, as
    'pid command line' (a step that dies with its runner ends a moment after it)."""
    deadline = time.monotonic() + timeout
    for process in session_processes(session_id):
        wait_for_exit(process.pid, max(0.0, deadline - time.monotonic()))
    return [_described(process) for process in session_processes(session_id)]


def _described(process: psutil.Process) -> str:
    try:
        return f"{process.pid} {' '.join(process.cmdline())}"
    except psutil.NoSuchProcess:
        return f"{process.pid} (ended)"
