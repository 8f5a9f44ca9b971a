"""Step processes die with their runner; an interruption while one starts still stops it."""
import os
import signal
import subprocess
import sys

import pytest
from process_helpers import wait_for_exit

from shared_code.amltoolbox.local.runner_identity import process_started
from shared_code.amltoolbox.local.step_process import Interrupts, start_step, stop_step

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
