"""A hundred models in one repository against two, side by side: `bench_scale [N]`.

Two scratch clones of the repository (its tracked files, no data, envs or workspace), each
under git: the small one with the repository's models plus one made by
`new-model scale-n001 --from model_a --train tabular`, the large one with N such models
(scale-n001 ... ; default 98, so 100 models in all). The change that `tox -e changed`
tests is the same in both: one line added to scale_n001/model.py, the model folder both
have. Measured in interleaved rounds, large against small:
- `run model_a` with nothing changed (its first run, which trains, done before), CPU;
- `--help` and `models list`, CPU;
- the tests pytest collects, and the CPU of collecting them;
- one model's tests (`pytest testing/scale_n001`, one process), CPU;
- `tox -e changed` for the one changed file (pylint, the selection, its tests; the changed
  env's command, without tox's own start), wall; goal: the large at most 1.2x the small;
  and the selection alone (--dry-run), wall.
"""
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testing.benchmarks.measure import MachineLoad, Spread, cpu_of, goal, interleaved, ratio
from testing.benchmarks.scratch import environment, fresh_copy

DEFAULT_MODELS = 98
ROUNDS = 5
HEAVY_ROUNDS = 2  # the measures that run a model's tests (each minutes on 2 cores)
CHANGED_TARGET = 1.2
CHANGED_MODEL = "scale_n001"
CHANGED_FILE = Path(CHANGED_MODEL) / "model.py"
TOOLBOX = [sys.executable, "-m", "shared_code.amltoolbox"]
PYTEST = [sys.executable, "-m", "pytest", "-c", "testing/pytest.ini", "-n", "0"]
CHANGED = [sys.executable, "-m", "shared_code.devops.changed_tests", "HEAD"]


def _git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                    *arguments], cwd=repo, check=True, capture_output=True)


def _scratch_repository(target: Path, models: int) -> Path:
    """A clone's files with `models` new models from model_a, under git; the change to test
    made in the working tree."""
    repo = fresh_copy(target)
    env = environment(repo, target.parent / f"{target.name}-workspace")
    for number in range(1, models + 1):
        subprocess.run([*TOOLBOX, "new-model", f"scale-n{number:03d}", "--from", "model_a",
                        "--train", "tabular"], cwd=repo, env=env, check=True,
                       capture_output=True)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "the scratch clone")
    with open(repo / CHANGED_FILE, "a", encoding="utf-8") as changed:
        changed.write("# a change, for tox -e changed\n")
    return repo


def _wall_of(command: list[str], env: dict, cwd: Path) -> float:
    """Wall seconds of running `command` to its end. A failure (a test that fails at this
    size) is printed, not raised: the cost is measured all the same."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
        print(f"{' '.join(command[2:])} exited {done.returncode} in {cwd.name}: "
              f"{'; '.join(failed) or done.stderr[-500:]}", flush=True)
    return wall


def _collected(repo: Path, env: dict) -> int:
    """How many tests pytest collects in `repo`."""
    done = subprocess.run([*PYTEST, "--collect-only", "-q"], cwd=repo, env=env,
                          capture_output=True, text=True, check=True)
    return int(re.search(r"(\d+) tests? collected", done.stdout).group(1))


def _measures(repo: Path, env: dict) -> dict:
    cheap = {"run model_a, no-op, CPU": [*TOOLBOX, "run", "model_a"],
             "--help, CPU": [*TOOLBOX, "--help"],
             "models list, CPU": [*TOOLBOX, "models", "list"],
             "test collection, CPU": [*PYTEST, "--collect-only", "-q"]}
    measures = {name: lambda command=command: cpu_of(command, env, repo)
                for name, command in cheap.items()}
    measures["selection for one changed file (--dry-run), wall"] = lambda: _wall_of(
        [*CHANGED, "--dry-run"], env, repo)
    heavy = {f"pytest testing/{CHANGED_MODEL}, CPU": lambda: cpu_of(
        [*PYTEST, f"testing/{CHANGED_MODEL}"], env, repo),
             "tox -e changed for one changed file, wall": lambda: _wall_of(CHANGED, env, repo)}
    return measures, heavy


def _report(figures: dict, sizes: dict) -> None:
    """Each measure's figures, large against small; the goal once `tox -e changed` is in."""
    names = list(dict.fromkeys(key.split("|")[1] for key in figures))
    for name in names:
        small, large = figures[f"small|{name}"], figures[f"large|{name}"]
        value, spread = ratio(large, small)
        print(f"{name}: {sizes['small']} models {Spread.of(small).text(1, ' s')}; "
              f"{sizes['large']} models {Spread.of(large).text(1, ' s')}; {value:.2f}x "
              f"(per round {spread.text(digits=2)})", flush=True)
    name = "tox -e changed for one changed file, wall"
    if f"large|{name}" not in figures:
        return
    value, spread = ratio(figures[f"large|{name}"], figures[f"small|{name}"])
    goal(f"tox -e changed, one file changed in one model folder, {sizes['large']} models over "
         f"{sizes['small']} (target <= {CHANGED_TARGET}x)",
         f"{value:.2f}x, per round {spread.text(digits=2)}", value <= CHANGED_TARGET)


def main(argv: list[str] | None = None) -> None:
    """Make the two scratch repositories, measure them side by side, print the figures."""
    models = int(argv[0]) if argv else DEFAULT_MODELS
    load = MachineLoad()
    load.read("at start")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        print(f"making the scratch clones: 1 and {models} new models ...", flush=True)
        started = time.perf_counter()
        repos = {"small": _scratch_repository(Path(tmp) / "small", 1),
                 "large": _scratch_repository(Path(tmp) / "large", models)}
        print(f"made in {time.perf_counter() - started:.0f} s", flush=True)
        envs = {name: environment(repo, Path(tmp) / f"{name}-workspace")
                for name, repo in repos.items()}
        sizes = {}
        for name, repo in repos.items():
            cpu_of([*TOOLBOX, "run", "model_a"], envs[name], repo)  # trains and registers
            sizes[name] = len(list(repo.glob("*/aml_pipeline.py")))
            print(f"{name}: {sizes[name]} models, {_collected(repo, envs[name]):,} tests "
                  "collected", flush=True)
        cheap, heavy = {}, {}
        for name, repo in repos.items():
            named_cheap, named_heavy = _measures(repo, envs[name])
            cheap.update({f"{name}|{key}": value for key, value in named_cheap.items()})
            heavy.update({f"{name}|{key}": value for key, value in named_heavy.items()})
        _report(interleaved(ROUNDS, cheap), sizes)  # printed now: the heavy ones take minutes
        _report(interleaved(HEAVY_ROUNDS, heavy), sizes)
    load.read("at end")
    load.verdict()


if __name__ == "__main__":
    main(sys.argv[1:])
