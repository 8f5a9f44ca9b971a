"""A hundred models in one repository against two, side by side: `bench_scale [N] [--full]`
(`tox -e benchmark -- bench_scale 98 --full`, or from the repository root
`PYTHONPATH=$PWD python -m testing.benchmarks bench_scale 98 --full` with the tests env's
python; --full adds the full test run, about 20 minutes on 2 cores).

Two scratch clones of the repository (its tracked files, no data, envs or workspace), each
under git: the small one with the repository's models plus one made by
`new-model scale-n001 --from model_a --train tabular`, the large one with N such models
(scale-n001 ... ; default 98, so 100 models in all). The change that `tox -e changed`
tests is the same in both: one line added to scale_n001/model.py, the model folder both
have. Measured in interleaved rounds, large against small:
- `run model_a` with nothing changed (its first run, which trains, done before), CPU; goal:
  the large at most 1.1x the small;
- `--help` and `models list`, CPU;
- the tests pytest collects, and the CPU of collecting them; goal: at most 5 s, large;
- one model's tests, CPU: its own folder and its share of the model kit, in one process
  (`TESTED_MODELS=scale_n001 pytest testing/scale_n001 testing/model_kit -k scale_n001`, as
  `tox -e changed` runs them for a change inside the model); goal: at most 10 s, large;
- `tox -e changed` for the one changed file (pylint, the selection, its tests; the changed
  env's command, without tox's own start), wall; goal: the large at most 1.2x the small;
  and the selection alone (--dry-run), wall.
With --full, once each (it takes minutes): what `tox` runs, without its install step: pylint
over the repository, then every test with coverage in 2 xdist workers, wall; goal: at most 15
minutes, large.
"""
import configparser
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
NO_OP_TARGET = 1.1
COLLECTION_TARGET = 5.0  # seconds of CPU
ONE_MODEL_TARGET = 10.0  # seconds of CPU
FULL_TARGET = 15 * 60.0  # seconds, wall
FULL_WORKERS = "2"
CHANGED_MODEL = "scale_n001"
CHANGED_FILE = Path(CHANGED_MODEL) / "model.py"
TOOLBOX = [sys.executable, "-m", "shared_code.amltoolbox"]
PYTEST = [sys.executable, "-m", "pytest", "-c", "testing/pytest.ini", "-n", "0"]
CHANGED = [sys.executable, "-m", "shared_code.devops.changed_tests", "HEAD"]
ONE_MODEL = [*PYTEST, f"testing/{CHANGED_MODEL}", "testing/model_kit", "-k", CHANGED_MODEL]
ONE_MODEL_NAME = f"pytest testing/{CHANGED_MODEL} + its model kit share, CPU"
COLLECTION_NAME = "test collection, CPU"
NO_OP_NAME = "run model_a, no-op, CPU"
FULL_NAME = "full tox (pylint, then pytest -n 2 with coverage), wall"


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
    cheap = {NO_OP_NAME: [*TOOLBOX, "run", "model_a"],
             "--help, CPU": [*TOOLBOX, "--help"],
             "models list, CPU": [*TOOLBOX, "models", "list"],
             COLLECTION_NAME: [*PYTEST, "--collect-only", "-q"]}
    measures = {name: lambda command=command: cpu_of(command, env, repo)
                for name, command in cheap.items()}
    measures["selection for one changed file (--dry-run), wall"] = lambda: _wall_of(
        [*CHANGED, "--dry-run"], env, repo)
    heavy = {ONE_MODEL_NAME: lambda: cpu_of(ONE_MODEL, {**env, "TESTED_MODELS": CHANGED_MODEL},
                                            repo),
             "tox -e changed for one changed file, wall": lambda: _wall_of(CHANGED, env, repo)}
    return measures, heavy


def _full_tox(repo: Path, env: dict) -> float:
    """Wall seconds of what tox.ini's tests env runs (pylint, then pytest with coverage), in 2
    xdist workers, reports written in a scratch folder."""
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(repo / "tox.ini", encoding="utf-8")
    ignored = tox.get("v2", "ignore").strip()
    reports = repo / "testing" / "reports"
    started = time.perf_counter()
    _wall_of([sys.executable, "-m", "pylint", "--rcfile=testing/.pylintrc", "--recursive=y",
              f"--ignore={ignored}", "."], env, repo)
    _wall_of([*PYTEST[:-2], f"--rootdir={repo}", "--numprocesses", FULL_WORKERS, "--cov",
              "--cov-config=testing/.coveragerc", "--cov-report=term",
              f"--cov-report=xml:{reports / 'coverage.xml'}",
              f"--junitxml={reports / 'junit.xml'}"], env, repo)
    return time.perf_counter() - started


def _ratio_goal(figures: dict, sizes: dict, name: str, what: str, target: float) -> None:
    if f"large|{name}" not in figures:
        return
    value, spread = ratio(figures[f"large|{name}"], figures[f"small|{name}"])
    goal(f"{what}, {sizes['large']} models over {sizes['small']} (target <= {target}x)",
         f"{value:.2f}x, per round {spread.text(digits=2)}", value <= target)


def _limit_goal(figures: dict, sizes: dict, name: str, what: str, limit: float) -> None:
    if f"large|{name}" not in figures:
        return
    spread = Spread.of(figures[f"large|{name}"])
    goal(f"{what}, {sizes['large']} models (target <= {limit:.0f} s)",
         spread.text(1, " s", 1), spread.median <= limit)


def _report(figures: dict, sizes: dict) -> None:
    """Each measure's figures, large against small; then the goals among them."""
    names = list(dict.fromkeys(key.split("|")[1] for key in figures))
    for name in names:
        small, large = figures[f"small|{name}"], figures[f"large|{name}"]
        value, spread = ratio(large, small)
        print(f"{name}: {sizes['small']} models {Spread.of(small).text(1, ' s')}; "
              f"{sizes['large']} models {Spread.of(large).text(1, ' s')}; {value:.2f}x "
              f"(per round {spread.text(digits=2)})", flush=True)
    _ratio_goal(figures, sizes, NO_OP_NAME, "run model_a no-op CPU", NO_OP_TARGET)
    _limit_goal(figures, sizes, COLLECTION_NAME, "collecting every test, CPU",
                COLLECTION_TARGET)
    _limit_goal(figures, sizes, ONE_MODEL_NAME, "one model's tests, CPU", ONE_MODEL_TARGET)
    _ratio_goal(figures, sizes, "tox -e changed for one changed file, wall",
                "tox -e changed, one file changed in one model folder", CHANGED_TARGET)
    _limit_goal(figures, sizes, FULL_NAME, "full tox on 2 cores, wall", FULL_TARGET)


def main(argv: list[str] | None = None) -> None:
    """Make the two scratch repositories, measure them side by side, print the figures."""
    argv = list(argv or [])
    full = "--full" in argv
    numbers = [word for word in argv if word != "--full"]
    models = int(numbers[0]) if numbers else DEFAULT_MODELS
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
        if full:
            _report(interleaved(1, {f"{name}|{FULL_NAME}": lambda repo=repo, name=name:
                                    _full_tox(repo, envs[name])
                                    for name, repo in repos.items()}), sizes)
    load.read("at end")
    load.verdict()


if __name__ == "__main__":
    main(sys.argv[1:])
