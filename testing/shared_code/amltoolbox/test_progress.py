"""The moving progress line: silent for short work, a rewritten line on a terminal, plain
lines now and then in a log."""
import io
import threading

import pytest

from shared_code.amltoolbox import progress
from shared_code.amltoolbox.progress import Progress


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    """time.monotonic, moved by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(name="clock")
def fixture_clock(mocker) -> Clock:
    clock = Clock()
    mocker.patch.object(progress.time, "monotonic", clock)
    return clock


def test_work_that_ends_within_the_quiet_seconds_prints_nothing(clock):
    stream = Terminal()
    with Progress("hashing", total=3, unit="files", stream=stream) as line:
        for _ in range(3):
            clock.now += 0.5
            line.advance()
    assert stream.getvalue() == ""


def test_on_a_terminal_one_line_is_rewritten_then_ended(clock):
    stream = Terminal()
    with Progress("hashing data", total=1797, unit="files", stream=stream) as line:
        clock.now += progress.QUIET_SECONDS
        line.advance(1000)
        clock.now += progress.TERMINAL_EVERY / 2
        line.advance(10)  # not due yet
        clock.now += progress.TERMINAL_EVERY
        line.advance(787)
    text = stream.getvalue()
    assert text == ("\rhashing data: 1000/1797 files, 2 s"
                    "\rhashing data: 1797/1797 files, 2 s"
                    "\rhashing data: done 1797/1797 files, 2 s\n")
    assert "\n" not in text[:-1]


def test_in_a_log_a_plain_line_comes_every_few_seconds(clock):
    stream = io.StringIO()
    with Progress("copying", total=10, unit="files", stream=stream) as line:
        for _ in range(10):
            clock.now += 1
            line.advance()
    assert stream.getvalue().splitlines() == [
        "copying: 2/10 files, 2 s", "copying: 7/10 files, 7 s", "copying: done 10/10 files, 10 s"]


def test_work_stopped_by_an_error_says_so(clock):
    stream = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        with Progress("installing", stream=stream) as line:
            clock.now += 3
            line.advance(0)
            raise KeyboardInterrupt
    assert stream.getvalue().splitlines()[-1] == "installing: stopped 3 s"


def test_a_ticking_line_moves_with_nothing_counted(mocker):
    """Work with no units (a subprocess) still shows a line: a clock thread shows it."""
    stream = io.StringIO()
    shown = threading.Event()
    mocker.patch.object(progress, "QUIET_SECONDS", 0.0)
    original = Progress._show  # pylint: disable=protected-access

    def show_and_tell(self):
        original(self)
        shown.set()
    mocker.patch.object(Progress, "_show", show_and_tell)
    with Progress("installing tox", ticking=True, stream=stream):
        assert shown.wait(timeout=60)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("installing tox: ") and lines[-1].startswith("installing tox: done")
