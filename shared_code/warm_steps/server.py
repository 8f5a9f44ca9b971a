"""The warm step server, run as a file: `python server.py FD LAUNCHER MODULE...`.

It imports the third-party MODULEs (what fails to import is left out), then for each request
read from the socket FD forks a step that runs the launcher as `python LAUNCHER SCRIPT ARG ...`
would, and answers with the step's pid and later its exit status. It imports no module of the
repository: a forked step loads the repository's code itself, as it is on disk. The server
ends when the runner closes its socket, and dies with the runner (Linux's death signal).
"""
import contextlib
import gc
import json
import os
import signal
import socket
import sys
import threading

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(parent: int, prctl) -> None:  # step_process._die_with's twin: no
    # repository module may be imported here, or a forked step would run it as it was
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took hold
        os.kill(os.getpid(), signal.SIGKILL)


def preload(modules: list[str]) -> list[str]:
    """Import each module; the ones imported. One that fails is left to the step to import
    and report."""
    loaded = []
    for name in modules:
        try:
            __import__(name)
        except Exception:  # pylint: disable=broad-exception-caught  # the step will say
            continue
        loaded.append(name)
    return loaded


def become_step(request: dict, server: int, channel: socket.socket, prctl) -> None:
    """In the forked child: a process group of its own that dies with the server, the
    request's directory, environment and log, stdin closed."""
    channel.close()
    os.setpgid(0, 0)
    _die_with_parent(server, prctl)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    log = os.open(request["log"], os.O_WRONLY | os.O_APPEND)
    null = os.open(os.devnull, os.O_RDONLY)
    for target, source in ((0, null), (1, log), (2, log)):
        os.dup2(source, target)
    os.close(log)
    os.close(null)
    _reseed_numpy()


def _reseed_numpy() -> None:
    """A forked process inherits numpy's global random state; a started one seeds its own
    (Python's random module reseeds itself after a fork: random.py, register_at_fork)."""
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()


def serve(channel: socket.socket, prctl) -> dict | None:
    """Answer requests until the runner closes the socket (None); in a forked step, its
    request."""
    reader = channel.makefile("r", encoding="utf-8")
    for line in reader:
        request = json.loads(line)
        if threading.active_count() > 1:  # a preloaded module started a thread: a fork
            channel.sendall(b'{"pid": null}\n')  # copies only this one, and a lock another
            continue  # held would never be released
        server = os.getpid()
        pid = os.fork()
        if pid == 0:
            reader.close()
            become_step(request, server, channel, prctl)
            return request
        # The group is made on both sides of the fork, so that it exists before its pid is
        # told: the runner may kill the group at once.
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        channel.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        _, status = os.waitpid(pid, 0)
        channel.sendall(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
    return None


def _measure_forked_steps() -> None:
    """Under coverage (its subprocess patch started it in this server), a forked step is
    measured on its own, as coverage's fork patch does it (coverage/control.py:1505,
    _after_fork_in_child): safe here, where no other thread runs when a step is forked."""
    coverage = sys.modules.get("coverage")
    restart = getattr(getattr(coverage, "control", None), "_after_fork_in_child", None)
    if restart is not None and coverage.Coverage.current() is not None:
        os.register_at_fork(after_in_child=restart)


def main() -> None:
    """Preload, serve, and in a forked step run the launcher's script as its __main__."""
    import ctypes  # pylint: disable=import-outside-toplevel  # the server's own, once
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    channel = socket.socket(fileno=int(sys.argv[1]))
    launcher = sys.argv[2]
    preload(sys.argv[3:])
    # What the server holds is left out of every collection: a forked step's collections and
    # its exit would otherwise touch, and so copy, every page of it (the gc module's advice).
    gc.freeze()
    _measure_forked_steps()
    request = serve(channel, prctl)
    if request is None:
        return
    namespace = {"__name__": "step_launcher", "__file__": launcher}
    with open(launcher, "rb") as source:
        exec(compile(source.read(), launcher, "exec"), namespace)  # pylint: disable=exec-used
    namespace["launch"](request["script"], request["arguments"])


if __name__ == "__main__":
    main()
