"""Step processes die with their runner; an interruption while one starts still stops it."""
import os
import signal
import subprocess
import sys

import pytest
from process_helpers import wait_for, wait_for_exit

from shared_code.amltoolbox.local.runner_identity import process_started
from shared_code.amltoolbox.local.step_process import (Interrupts, platform_family, popen_options,
                                                      start_step, stop_step)

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
LINUX = sys.platform.startswith("linux")


def test_a_step_runs_in_its_own_process_group_and_is_stopped_with_it(tmp_path):
    with open(tmp_path / "log.txt", "wb") as log:
        step = start_step(SLEEPER, tmp_path, dict(os.environ), log)
    assert os.getpgid(step.pid) == step.pid != os.getpgid(0)
    stop_step(step)
    assert step.returncode == -signal.SIGKILL
    stop_step(step)  # stopping a stopped step is harmless


@pytest.mark.skipif(not LINUX, reason="the parent-death signal is Linux's (prctl)")
def test_a_step_dies_when_its_runner_is_killed(tmp_path):
    runner_code = ("import os, sys\n"
                   "from shared_code.amltoolbox.local.step_process import start_step\n"
                   f"step = start_step({SLEEPER!r}, '.', dict(os.environ), None)\n"
                   "print(step.pid, flush=True)\n"
                   "step.wait()\n")
    with subprocess.Popen([sys.executable, "-c", runner_code], stdout=subprocess.PIPE,
                          text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": os.getcwd()}) as runner:
        step_pid = int(runner.stdout.readline())
        assert process_started(step_pid) is not None
        runner.kill()
    wait_for_exit(step_pid)
    assert process_started(step_pid) is None


def test_an_interruption_while_a_step_starts_is_raised_once_the_step_is_held():
    interrupts = Interrupts()
    started = []
    with interrupts.installed(), pytest.raises(KeyboardInterrupt):
        with interrupts.held():
            os.kill(os.getpid(), signal.SIGTERM)  # as if it came inside subprocess.Popen()
            started.append(subprocess.Popen(SLEEPER))  # pylint: disable=consider-using-with
    assert started  # the step was started whole, and is the caller's to stop
    started[0].kill()
    started[0].wait()


def test_an_interruption_outside_a_held_block_is_raised_at_once():
    interrupts = Interrupts()
    with interrupts.installed(), pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGTERM)
        signal.sigtimedwait([], 0)  # a point where Python runs the handler
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


@pytest.mark.parametrize("platform,family", [("linux", "linux"), ("linux2", "linux"),
                                             ("darwin", "darwin"), ("freebsd14", "darwin"),
                                             ("win32", "win32")])
def test_each_platform_has_one_process_control_family(platform, family):
    assert platform_family(platform) == family


def test_linux_steps_get_a_group_and_the_death_signal():
    options = popen_options("linux")
    assert options["process_group"] == 0 and callable(options["preexec_fn"])


def test_macos_steps_get_a_group_without_the_death_signal():
    assert popen_options("darwin") == {"process_group": 0}


def test_windows_steps_get_a_new_process_group_and_nothing_windows_refuses():
    # Popen refuses preexec_fn on Windows and ignores process_group (subprocess.py, 3.11).
    assert popen_options("win32") == {"creationflags": 0x200}


def test_the_windows_stop_kills_the_step_and_what_it_started(tmp_path):
    """The tree kill Windows uses (psutil) is portable: here it runs on this platform."""
    parent_code = ("import subprocess, sys, time\n"
                   f"child = subprocess.Popen({SLEEPER!r})\n"
                   "print(child.pid, flush=True)\n"
                   "time.sleep(600)\n")
    with open(tmp_path / "log.txt", "wb") as log:
        step = start_step([sys.executable, "-c", parent_code], tmp_path, dict(os.environ), log)
    log_file = tmp_path / "log.txt"
    child_pid = int(wait_for(lambda: log_file.read_text(encoding="utf-8").strip() or None,
                             "the step's child pid in its log"))
    stop_step(step, platform="win32")
    assert step.returncode is not None
    wait_for_exit(child_pid)
    assert process_started(child_pid) is None
