"""Step processes that cannot outlive their runner: how each platform starts, groups and
kills a process tree. Linux: a process group, and the kernel SIGKILLs the step when its
runner dies (prctl PR_SET_PDEATHSIG: kill -9, OOM, a crash). macOS: the process group alone.
Windows: a new process group, the tree killed through psutil. Where the step can outlive its
runner, runs.check_run_alive stops the orphan from registering.
"""
import contextlib
import ctypes
import functools
import os
import signal
import subprocess
import sys
import threading

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_INTERRUPTING = (signal.SIGINT, signal.SIGTERM)
LINUX, MACOS, WINDOWS = "linux", "darwin", "win32"


def platform_family(platform: str = sys.platform) -> str:
    """linux, darwin or win32: the process-control family of a sys.platform value (the other
    POSIX systems behave as macOS here: a process group, no death signal)."""
    if platform.startswith(LINUX):
        return LINUX
    return WINDOWS if platform == WINDOWS else MACOS


@functools.cache
def _prctl():
    """libc's prctl, found before any fork: the child only calls it."""
    return ctypes.CDLL(None, use_errno=True).prctl


def _die_with(runner_pid: int, prctl):
    def set_death_signal() -> None:  # in the child, between fork and exec
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != runner_pid:  # the runner died before the request took hold
            os.kill(os.getpid(), signal.SIGKILL)
    return set_death_signal


def popen_options(platform: str = sys.platform) -> dict:
    """The subprocess.Popen options that put a step in a group of its own on `platform`."""
    family = platform_family(platform)
    if family == WINDOWS:
        # subprocess's own constant exists only on Windows (0x200, winbase.h).
        return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200)}
    if family == LINUX:
        # preexec_fn is unsafe when it takes a lock another thread held at fork; this one
        # takes none: it calls a C function found beforehand, getppid and kill.
        return {"process_group": 0, "preexec_fn": _die_with(os.getpid(), _prctl())}
    return {"process_group": 0}


def start_step(command: list[str], cwd, env: dict, log) -> subprocess.Popen:
    """Start a step in its own process group, writing its output to `log`, stdin closed (a
    background process group reading the terminal would stop). The death signal fires when
    the starting thread ends: the runner's thread waits for its step."""
    return subprocess.Popen(  # pylint: disable=subprocess-popen-preexec-fn
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
        stderr=subprocess.STDOUT, **popen_options())


def stop_step(process: subprocess.Popen, platform: str = sys.platform) -> None:
    """Kill the step and everything it started, and reap the step.

    Once reaped, its pid (the group's id) may be another's: a reaped step is left alone.
    """
    if process.returncode is None:
        if platform_family(platform) == WINDOWS:
            _kill_tree(process.pid)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _kill_tree(pid: int) -> None:
    """Kill a process and its descendants, children first found, then all at once."""
    import psutil  # pylint: disable=import-outside-toplevel  # only where killpg is missing
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(tree, timeout=30)


class Interrupts:
    """SIGINT and SIGTERM as KeyboardInterrupt, held back while a step is being started (inside
    Popen() it would leave a step the runner never learns of, free to run on and register)."""

    def __init__(self):
        self._holding = False
        self._pending = False

    @contextlib.contextmanager
    def installed(self):
        """Handle both signals in this block (from the main thread; elsewhere, nothing)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = {signum: signal.signal(signum, self._handle) for signum in _INTERRUPTING}
        try:
            yield self
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    @contextlib.contextmanager
    def held(self):
        """No KeyboardInterrupt inside this block; one that came is raised on leaving it."""
        self._holding, self._pending = True, False
        try:
            yield
        finally:
            self._holding = False
        if self._pending:
            self._pending = False
            raise KeyboardInterrupt

    def _handle(self, signum, frame) -> None:  # pylint: disable=unused-argument
        if self._holding:
            self._pending = True
            return
        raise KeyboardInterrupt
