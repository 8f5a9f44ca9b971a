"""A run's runner: alive only while the same process (pid and start) runs."""
import os
import signal
import subprocess
import sys

import psutil
import pytest
from process_helpers import wait_for

from shared_code.amltoolbox.local.runner_identity import (PID, PID_STARTED, process_started,
                                                          runner_alive, runner_identity)


def test_this_process_is_a_live_runner_with_a_stable_start():
    identity = runner_identity()
    assert identity[PID] == os.getpid() and identity[PID_STARTED]
    assert process_started(os.getpid()) == identity[PID_STARTED]
    assert runner_alive(identity)


def test_a_reused_pid_is_not_the_runner_that_started_the_run():
    assert not runner_alive({PID: os.getpid(), PID_STARTED: "a process that has ended"})


@pytest.mark.parametrize("properties", [{}, {PID: os.getpid()}, {PID: None, PID_STARTED: "1"},
                                        {PID: True, PID_STARTED: "1"}, {PID: -1, PID_STARTED: "1"},
                                        {PID: "12", PID_STARTED: "1"}])
def test_a_run_without_a_full_identity_has_no_live_runner(properties):
    assert not runner_alive(properties)


def test_a_process_that_ended_unreaped_is_not_alive():
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"]) as child:
        identity = {PID: child.pid, PID_STARTED: process_started(child.pid)}
        assert runner_alive(identity)
        child.send_signal(signal.SIGKILL)
        wait_for(lambda: psutil.Process(child.pid).status() == psutil.STATUS_ZOMBIE,
                 "the child to end")
        assert process_started(child.pid) is None and not runner_alive(identity)
