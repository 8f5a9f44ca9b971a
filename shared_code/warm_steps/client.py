"""The runner's side of warm starts: `start_warm_step` starts a step as step_process.start_step
does, forked from a server that has imported what the model's steps import, and falls back to
a cold start wherever a fork could differ from a start: off Linux, with AML_COLD_STEPS=1,
while another thread's step holds the server, or when the server cannot serve. A step that
imports nothing the runner does not starts no server (it would wait for imports it skips)."""
import atexit
import functools
import json
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from shared_code.amltoolbox.local.runner import LAUNCHER_FILE
from shared_code.amltoolbox.local.step_process import (LINUX, platform_family, popen_options,
                                                      start_step)

from .imports import imports_outside, third_party_imports

SERVER_FILE = Path(__file__).with_name("server.py")
COLD_ENV_VAR = "AML_COLD_STEPS"
# What the runner imports from outside the standard library (a test reads it from the runner's
# code): named here, so that no step start reads the runner's thirty modules to know it.
RUNNER_LIBRARIES = frozenset({"yaml"})
# Variables read as the interpreter or a native library starts (sys.path, hashing, stdio,
# coverage, thread pools, matplotlib's configuration): a step forked from a server started
# with other values would not start as it would cold, so such a step gets a server of its own.
STARTUP_PREFIXES = ("PYTHON", "COVERAGE_", "OMP_", "MKL_", "OPENBLAS_", "KMP_", "NUMEXPR_",
                    "LD_", "MPL", "HOME", "XDG_", "LANG", "LC_", "PATH", "TMP", "TEMP")


class WarmStep:
    """A step forked by the server: what the runner and step_process.stop_step use of a
    subprocess.Popen (pid, the group it leads, returncode, wait)."""

    def __init__(self, server: "_Server", pid: int):
        self.server, self.pid, self.returncode = server, pid, None

    def wait(self) -> int:
        """The step's exit status, as Popen.returncode gives it, once the server reaped it."""
        if self.returncode is None:
            reply = self.server.reply()
            # No reply: the server died, and its death signal killed the step.
            self.returncode = reply["exit"] if reply else -signal.SIGKILL
            self.server.lock.release()
        return self.returncode


class _Server:
    """One server process and the socket the runner talks to it through."""

    def __init__(self, modules: tuple[str, ...], cwd, env: dict, launcher: str):
        self.channel, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(  # pylint: disable=subprocess-popen-preexec-fn,consider-using-with
                [sys.executable, str(SERVER_FILE), str(theirs.fileno()), launcher, *modules],
                cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, pass_fds=[theirs.fileno()], **popen_options())
        self.replies = self.channel.makefile("r", encoding="utf-8")
        self.lock = threading.Lock()

    def fork(self, request: dict) -> int | None:
        """Ask for a step; its pid, or None when the server cannot fork one."""
        try:
            self.channel.sendall(json.dumps(request).encode() + b"\n")
        except OSError:
            return None
        reply = self.reply()
        return reply.get("pid") if reply else None

    def reply(self) -> dict | None:
        """The server's next answer; None once it has gone."""
        try:
            line = self.replies.readline()
        except OSError:
            return None
        return json.loads(line) if line else None

    def close(self) -> None:
        """End the server (it stops at the end of its socket) and reap it."""
        self.replies.close()
        self.channel.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_SERVERS: dict[tuple, _Server] = {}
_SERVERS_LOCK = threading.Lock()


def start_warm_step(command: list[str], cwd, env: dict, log):
    """Start a step as start_step(command, cwd, env, log) would, forked from a warm server
    where it can be; the step (a WarmStep or a subprocess.Popen)."""
    if not _can_fork(command, env, log):
        return start_step(command, cwd, env, log)
    launcher, script = command[1], Path(command[2])
    heavy = _imports_more(script)
    if not heavy and not _SERVERS:  # a rerun of register alone, say: nothing to read further
        return start_step(command, cwd, env, log)
    key = (_modules_of(script.parent), str(cwd), launcher,
           tuple(sorted((name, value) for name, value in env.items()
                        if name.startswith(STARTUP_PREFIXES))))
    server = _server(key, env, start=heavy)
    # None: a step that imports nothing the runner does not is not worth a server's imports;
    # the lock held: another thread's step runs on the server.
    if server is None or not server.lock.acquire(blocking=False):
        return start_step(command, cwd, env, log)
    pid = server.fork({"script": command[2], "arguments": command[3:], "cwd": str(cwd),
                       "env": env, "log": log.name})
    if pid is None:
        server.lock.release()
        _discard(key)
        return start_step(command, cwd, env, log)
    return WarmStep(server, pid)


def _can_fork(command: list[str], env: dict, log) -> bool:
    return (platform_family() == LINUX and env.get(COLD_ENV_VAR, "") in ("", "0")
            and command[:2] == [sys.executable, str(LAUNCHER_FILE)] and len(command) > 2
            and isinstance(getattr(log, "name", None), str))


@functools.lru_cache(maxsize=64)
def _modules_of(folder: Path) -> tuple[str, ...]:
    return tuple(third_party_imports(folder))


@functools.lru_cache(maxsize=256)
def _imports_more(script: Path) -> bool:
    """Whether the step imports a module from outside the standard library that the runner
    itself does not import (what the command line imports is quick to import)."""
    return not _libraries(imports_outside([script], script.parent.parent)) <= RUNNER_LIBRARIES


def _libraries(modules: list[str]) -> set[str]:
    return {name for name in modules if name.split(".")[0] not in sys.stdlib_module_names}


def _server(key: tuple, env: dict, start: bool) -> _Server | None:
    """The server for `key`; if none serves it, one started when `start` says so (the idle
    servers of other keys end)."""
    with _SERVERS_LOCK:
        if key not in _SERVERS and not start:
            return None
        if key not in _SERVERS:
            for other, server in list(_SERVERS.items()):
                if server.lock.acquire(blocking=False):
                    server.lock.release()
                    _discard(other)
            modules, cwd, launcher, _ = key
            _SERVERS[key] = _Server(modules, cwd, env, launcher)
        return _SERVERS[key]


def _discard(key: tuple) -> None:
    server = _SERVERS.pop(key, None)
    if server is not None:
        server.close()


def close_servers() -> None:
    """End every server (at exit; a test session ends them before its coverage is combined)."""
    with _SERVERS_LOCK:
        for key in list(_SERVERS):
            _discard(key)


atexit.register(close_servers)
