"""The one output channel of progress and results: each line goes through a `Report`
(print_line unless the caller passes its own), and long work shows a line that moves
(rewritten in place on a terminal, every few seconds in a log; nothing for work of a few
seconds). Only the standard library: the bootstrap in virtualenvs/ uses it.
"""
from __future__ import annotations

import sys
import threading
import time
from typing import Callable

QUIET_SECONDS = 2.0      # work shorter than this prints nothing
TERMINAL_EVERY = 0.2     # how often the terminal line is rewritten
LOG_EVERY = 5.0          # how often a plain line is written when not on a terminal

Report = Callable[[str], None]


def print_line(line: str) -> None:
    """Report `line` on standard output at once (a log or a pipe sees it as it happens)."""
    print(line, flush=True)


def _on_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class Progress:  # pylint: disable=too-many-instance-attributes  # the line's state
    """`with Progress("hashing x", total=n, unit="files") as p: ... p.advance()`.

    `ticking=True` adds a background clock, for work that has no units to count (a
    subprocess, a download): the line then says how long it has been going on.
    """

    def __init__(self, label: str, total: int | None = None, unit: str = "",
                 stream=None, ticking: bool = False):
        self.label, self.total, self.unit = label, total, unit
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self._terminal = _on_terminal(self.stream)
        self._started = time.monotonic()
        self._next = self._started + QUIET_SECONDS
        self._width = 0
        self._shown = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._clock = threading.Thread(target=self._tick, daemon=True) if ticking else None

    def __enter__(self) -> Progress:
        if self._clock is not None:
            self._clock.start()
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        self._stop.set()
        if self._clock is not None:
            self._clock.join()
        if self._shown:
            self._write(self._line("done" if error_type is None else "stopped"), final=True)

    def advance(self, count: int = 1) -> None:
        """Count `count` units done; show the line when it is due."""
        self.done += count
        if time.monotonic() >= self._next:
            self._show()

    def _tick(self) -> None:
        while not self._stop.wait(max(0.05, self._next - time.monotonic())):
            if time.monotonic() >= self._next:
                self._show()

    def _show(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self._next = time.monotonic() + (TERMINAL_EVERY if self._terminal else LOG_EVERY)
            self._shown = True
            self._write(self._line(), final=False)

    def _line(self, state: str = "") -> str:
        elapsed = time.monotonic() - self._started
        counted = ""
        if self.done or self.total:
            of_total = f"/{self.total}" if self.total is not None else ""
            counted = f"{self.done}{of_total}{' ' + self.unit if self.unit else ''}, "
        state = f"{state} " if state else ""
        return f"{self.label}: {state}{counted}{elapsed:.0f} s"

    def _write(self, line: str, final: bool) -> None:
        if self._terminal:
            padding = " " * max(0, self._width - len(line))
            self._width = len(line)
            self.stream.write(f"\r{line}{padding}" + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
