"""A step forked from the warm server starts as one started cold would: its arguments,
directory, environment, log, closed stdin, exit status and random numbers; it can be killed
with what it started; and where a fork could differ, the step starts cold."""
import json
import os
import signal
import sys
import textwrap
from pathlib import Path

import psutil
import pytest
from process_helpers import wait_for

from shared_code.amltoolbox.local.runner import step_command, step_environment
from shared_code.amltoolbox.local.step_process import stop_step
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.warm_steps import client

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="steps start warm on Linux only")

FACTS = """
    import json, os, sys
    import numpy
    print(json.dumps({"argv": sys.argv, "cwd": os.getcwd(), "path0": sys.path[0],
                      "name": __name__, "variable": os.environ.get("STEP_FACT"),
                      "stdin": sys.stdin.read(), "random": numpy.random.rand()}))
    print("the last line", file=sys.stderr)
"""
SLOW = """
    import os, subprocess, sys, time
    import numpy
    from pathlib import Path
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    Path(sys.argv[1] + ".part").write_text(str(child.pid))
    os.replace(sys.argv[1] + ".part", sys.argv[1])  # whole, once it is there
    time.sleep(600)
"""


@pytest.fixture(name="start")
def fixture_start(tmp_path):
    """start(code, *args, cold=False, lib=None): `code` as a step script of a model, started
    as the runner starts one (lib: a folder added to PYTHONPATH); the process and its log."""
    steps = tmp_path / "model_w" / "script_steps"
    steps.mkdir(parents=True)
    started = []

    def start(code: str, *args: str, cold: bool = False, lib: Path | None = None):
        script = steps / f"step_{len(started)}.py"
        script.write_text(textwrap.dedent(code), encoding="utf-8")
        log = tmp_path / f"log_{len(started)}.txt"
        env = step_environment(tmp_path / "spec.json", tmp_path / "workspace")  # the runner's
        env.update({"STEP_FACT": "set", client.COLD_ENV_VAR: "1" if cold else "0",
                    "PYTHONPATH": os.pathsep.join(map(str, filter(None, [REPO_ROOT, lib])))})
        with open(log, "wb") as handle:
            process = client.start_warm_step(step_command(script, args), tmp_path, env, handle)
        started.append(process)
        return process, log
    yield start
    for process in started:
        stop_step(process)
    client.close_servers()


def _facts(log: Path) -> dict:
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "the last line"
    return json.loads(lines[0])


def test_a_warm_step_starts_as_a_cold_one_and_draws_its_own_random_numbers(start):
    steps = []
    for cold in (True, False, False):  # one after the other, as the runner starts them
        step, log = start(FACTS, "--alpha", "1", cold=cold)
        assert step.wait() == 0 and isinstance(step, client.WarmStep) is not cold
        steps.append(log)
    facts = [_facts(log) for log in steps]
    randoms = {fact.pop("random") for fact in facts}
    assert len(randoms) == 3  # numpy's global state is seeded again in each forked step
    for fact in facts:
        fact["argv"][0] = Path(fact["argv"][0]).parent.name
    assert facts[0] == facts[1] == facts[2] == {
        "argv": ["script_steps", "--alpha", "1"], "cwd": str(steps[0].parent),
        "path0": str(steps[0].parent / "model_w" / "script_steps"), "name": "__main__",
        "variable": "set", "stdin": ""}


@pytest.mark.parametrize("code, status, last_line", [
    ("import numpy\nraise SystemExit(3)", 3, None),
    ("import numpy\nraise ValueError('no rows')", 1, "ValueError: no rows"),
    ("import numpy, os, signal\nos.kill(os.getpid(), signal.SIGKILL)", -signal.SIGKILL, None)],
    ids=["exit", "exception", "killed"])
def test_a_warm_step_ends_with_the_status_a_cold_one_has(start, code, status, last_line):
    cold, cold_log = start(code, cold=True)
    assert cold.wait() == status
    warm, warm_log = start(code)
    assert isinstance(warm, client.WarmStep) and warm.wait() == status
    if last_line:
        assert [log.read_text(encoding="utf-8").splitlines()[-1]
                for log in (cold_log, warm_log)] == [last_line, last_line]


def test_a_step_importing_only_what_the_runner_does_starts_a_server_of_its_own_never(start):
    light = "import json, yaml\nprint(json.dumps({'light': True}))\n"
    step, _ = start(light)  # no server yet: starting one would cost more than the step
    assert step.wait() == 0 and not isinstance(step, client.WarmStep)
    step, _ = start(FACTS)
    assert step.wait() == 0 and isinstance(step, client.WarmStep)
    step, log = start(light)  # a server runs: forking is quicker than starting
    assert step.wait() == 0 and isinstance(step, client.WarmStep)
    assert json.loads(log.read_text(encoding="utf-8")) == {"light": True}


def test_stopping_a_warm_step_kills_it_and_what_it_started(start, tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    step, _ = start(SLOW, str(pid_file))
    assert isinstance(step, client.WarmStep)
    wait_for(pid_file.exists, "the step to start its own process")
    grandchild = psutil.Process(int(pid_file.read_text(encoding="utf-8")))
    stop_step(step)
    assert step.returncode == -signal.SIGKILL
    grandchild.wait(timeout=60)


def test_while_a_warm_step_runs_on_the_server_another_starts_cold(start, tmp_path):
    first, _ = start(SLOW, str(tmp_path / "first.pid"))
    second, log = start(FACTS)
    assert isinstance(first, client.WarmStep) and not isinstance(second, client.WarmStep)
    assert second.wait() == 0 and _facts(log)["variable"] == "set"


def test_a_server_whose_imports_started_a_thread_forks_nothing_and_the_step_starts_cold(
        start, tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "threaded_library.py").write_text(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n",
        encoding="utf-8")
    step, log = start("import threaded_library\n" + textwrap.dedent(FACTS), lib=lib)
    assert not isinstance(step, client.WarmStep)
    assert step.wait() == 0 and _facts(log)["variable"] == "set"
