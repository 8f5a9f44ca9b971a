"""One environment: after the tests' environment is built, the main command installs nothing.

In a fresh copy of the repository (its tracked files), with the tox that runs this
benchmark ($BENCHMARK_TOX, set by `tox -e benchmark`):
1. `tox -e tests --notest` builds the tests' environment from the lock, as `tox` does first;
2. `tox -e pipeline -- model_a` runs the main command for the first time: its wall time is
   what a new user waits after the tests, and its output says whether tox installed
   anything;
3. `tox -e serve --notest` sets up the serving environment.
Goal: steps 2 and 3 install nothing.

This takes minutes: the lock is installed once, as a new user's first `tox` does.
"""
import os
import subprocess
import tempfile
import time
from pathlib import Path

from testing.benchmarks.measure import MachineLoad, children_cpu_seconds, goal
from testing.benchmarks.scratch import fresh_copy

TOX_ENV_VAR = "BENCHMARK_TOX"
INSTALLING = ("install_deps>", "pip install", "pip>")


def _tox(tox_python: str, repo: Path, *args: str) -> tuple[str, float, float]:
    """tox's output, wall seconds and CPU seconds for one call in `repo`."""
    # As a user's shell has it: without the benchmark env's settings and PATH entry.
    own_env = os.environ.get("VIRTUAL_ENV", "\0")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TOX_", "VIRTUAL_ENV", "PYTHON", "BENCHMARK_"))}
    env["PATH"] = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(own_env))
    env["AML_LOCAL_WORKSPACE"] = str(repo / ".aml_workspace")
    started, cpu = time.perf_counter(), children_cpu_seconds()
    done = subprocess.run([tox_python, "-m", "tox", *args], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - started, children_cpu_seconds() - cpu
    if done.returncode != 0:
        raise SystemExit(f"tox {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr}")
    return done.stdout + done.stderr, wall, cpu


def _installed(output: str) -> list[str]:
    return [line for line in output.splitlines() if any(word in line for word in INSTALLING)]


def main() -> None:
    """Measure and print the goal."""
    tox_python = os.environ.get(TOX_ENV_VAR)
    if not tox_python:
        print(f"${TOX_ENV_VAR} is not set (run `tox -e benchmark`): skipped")
        return
    load = MachineLoad()
    load.read("at start")
    with tempfile.TemporaryDirectory(prefix="bench-environment-") as tmp:
        repo = fresh_copy(Path(tmp) / "repo")
        _, wall, _ = _tox(tox_python, repo, "-e", "tests", "--notest")
        print(f"the tests' environment built from the lock in {wall:.0f} s", flush=True)
        output, wall, cpu = _tox(tox_python, repo, "-e", "pipeline", "--", "model_a")
        installed = _installed(output)
        serve_output, _, _ = _tox(tox_python, repo, "-e", "serve", "--notest")
        installed += _installed(serve_output)
    print(f"first run of the main command after the tests (tox -e pipeline -- model_a: data "
          f"prepared, model trained and registered): {wall:.1f} s wall, {cpu:.1f} s CPU")
    goal("after the tests' environment, `tox -e pipeline` and `tox -e serve` install nothing",
         "; ".join(installed) if installed else "nothing installed", not installed)
    load.read("at end")
    load.verdict()


if __name__ == "__main__":
    main()
