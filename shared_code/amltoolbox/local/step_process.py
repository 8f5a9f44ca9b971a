"""Step processes that cannot outlive their runner.

Each step runs in its own process group, so the runner stops the step and whatever it
started with one signal. On Linux the step also asks the kernel to SIGKILL it when the
runner dies (prctl PR_SET_PDEATHSIG), which covers the deaths no handler sees: kill -9, an
out-of-memory kill, a crash. Elsewhere (macOS) the process group is all there is, and
registration's own check that its runner lives (runs.check_run_alive) stops an orphan.
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


def start_step(command: list[str], cwd, env: dict, log) -> subprocess.Popen:
    """Start a step in its own process group, writing its output to `log`.

    The death signal fires when the thread that started the step ends: the runner's
    thread waits for its step, so that is when the runner ends. stdin is closed: a process
    group in the background of a terminal that reads from it would stop.
    """
    linux = sys.platform.startswith("linux")
    # preexec_fn is unsafe when it takes a lock another thread held at fork; this one takes
    # none: it calls a C function found beforehand, getppid and kill.
    return subprocess.Popen(  # pylint: disable=subprocess-popen-preexec-fn
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
        stderr=subprocess.STDOUT, process_group=0,
        preexec_fn=_die_with(os.getpid(), _prctl()) if linux else None)


def stop_step(process: subprocess.Popen) -> None:
    """Kill the step and everything in its process group, and reap the step.

    Once reaped, its pid (the group's id) may be another's: a reaped step is left alone.
    """
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class Interrupts:
    """SIGINT and SIGTERM (Ctrl-C, a cancelled CI job, `timeout`, `kill`) as KeyboardInterrupt,
    held back while a step is being started.

    Raised inside subprocess.Popen(), an interruption would leave a started step that the
    runner never learns of, free to run on and register; held back, it is raised once the
    runner holds the step's process and can stop it.
    """

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
