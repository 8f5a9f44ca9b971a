"""A drift check of 1,000,000 rows against model_a's training data: its memory and its time.

In a scratch copy of the code with a scratch workspace, model_a's real pipeline trains and
registers model_a:1; new data is drawn from its training rows (resampled, with a little
noise: no drift), 1,000 (the baseline), 100,000 and 1,000,000 rows. Each check is
`python -m shared_code.amltoolbox drift model_a --input FILE --json` in a process of its
own, measured from its own rusage (os.wait4): peak RSS, CPU and wall seconds. The check's
own CPU time, without the interpreter's start-up and imports, which drown the rows' cost, is
measured inside one process that runs the three checks in turn (check_drift, which also
records each as a run).

Goals: the peak RSS of the 1,000,000-row check at most 300 MB above the 1,000-row check's
(same code, same imports: the growth is what the rows cost); and time linear in the rows:
what each row costs from 100,000 to 1,000,000 at most 1.25x what each cost up to 100,000
(the check's CPU seconds above the 1,000-row check's).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testing.benchmarks.measure import MachineLoad, Spread, goal, interleaved
from testing.benchmarks.scratch import copy_repository, environment

ROUNDS = 3
# Runs check_drift on the files named on its command line, ROUNDS rounds in turn, in this one
# process; prints each one's CPU seconds per round as JSON.
IN_PROCESS = """import json, sys, time
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.model_monitoring.drift_check import check_drift
workspace = LocalWorkspace()
rounds, files = int(sys.argv[1]), sys.argv[2:]
seconds = {path: [] for path in files}
for index in range(rounds):
    for path in files[index % len(files):] + files[:index % len(files)]:
        started = time.process_time()
        check_drift(workspace, "model_a", path=path)
        seconds[path].append(time.process_time() - started)
print(json.dumps(seconds))
"""
SIZES = {"1k": 1_000, "100k": 100_000, "1M": 1_000_000}
RSS_GROWTH_MB = 300
LINEAR_TARGET = 1.25


def write_rows(training: Path, rows: int, target: Path) -> Path:
    """`rows` rows drawn from the training file, each value moved by under 1% of its
    column's spread, written as CSV in blocks."""
    import numpy as np
    import pandas as pd
    frame = pd.read_csv(training)
    rng = np.random.default_rng(rows)
    spread = frame.std().to_numpy() * 0.01
    with open(target, "w", encoding="utf-8", newline="") as out:
        for start in range(0, rows, 200_000):
            count = min(200_000, rows - start)
            block = frame.sample(count, replace=True, random_state=rng)
            block = block + rng.normal(0, 1, block.shape) * spread
            block.to_csv(out, index=False, header=start == 0, float_format="%.6g")
    return target


def measured(command: list[str], env: dict) -> tuple[float, float, float]:
    """(peak RSS in MB, CPU seconds, wall seconds) of one command run to its end."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # 1: drift, a verdict like any other here
        raise RuntimeError(f"{' '.join(command)} ended with status {process.returncode}")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, time.monotonic() - started


def main() -> None:
    """Train model_a in a scratch workspace, then measure the three checks side by side."""
    load = MachineLoad()
    load.read("at start")
    with tempfile.TemporaryDirectory(prefix="bench-drift-") as scratch:
        scratch = Path(scratch)
        repo = copy_repository(scratch / "repo", ("model_a",))
        env = environment(repo, scratch / "workspace")
        subprocess.run([sys.executable, "-m", "shared_code.amltoolbox", "run", "model_a"],
                       env=env, cwd=repo, check=True, stdout=subprocess.DEVNULL)
        training = next((repo / "model_a" / "data" / "training").glob("*.csv"))
        files = {name: write_rows(training, rows, scratch / f"new_{name}.csv")
                 for name, rows in SIZES.items()}
        figures = interleaved(ROUNDS, {name: (lambda path=path: measured(
            [sys.executable, "-m", "shared_code.amltoolbox", "drift", "model_a", "--input",
             str(path), "--json"], env)) for name, path in files.items()})
        in_process = json.loads(subprocess.run(
            [sys.executable, "-c", IN_PROCESS, str(ROUNDS), *map(str, files.values())],
            env=env, check=True, capture_output=True, text=True).stdout.splitlines()[-1])
        check = {name: Spread.of(in_process[str(path)]) for name, path in files.items()}
    load.read("at end")
    rss = {name: Spread.of([f[0] for f in values]) for name, values in figures.items()}
    cpu = {name: Spread.of([f[1] for f in values]) for name, values in figures.items()}
    wall = {name: Spread.of([f[2] for f in values]) for name, values in figures.items()}
    for name in SIZES:
        print(f"{name} rows: peak RSS {rss[name].text(unit=' MB', digits=0)}; command CPU "
              f"{cpu[name].text(unit=' s', digits=2)}; wall {wall[name].text(unit=' s', digits=2)}"
              f"; the check's own CPU {check[name].text(unit=' s', digits=2)}")
    growth = rss["1M"].median - rss["1k"].median
    goal(f"a 1,000,000-row drift check's peak RSS at most {RSS_GROWTH_MB} MB above a "
         "1,000-row one's", f"{growth:.0f} MB", growth <= RSS_GROWTH_MB)
    early = (check["100k"].median - check["1k"].median) / (SIZES["100k"] - SIZES["1k"])
    late = (check["1M"].median - check["100k"].median) / (SIZES["1M"] - SIZES["100k"])
    goal(f"time linear in rows: CPU per row from 100k to 1M at most {LINEAR_TARGET}x that up "
         "to 100k", f"{late * 1e6:.2f} us vs {early * 1e6:.2f} us a row "
         f"({late / early:.2f}x)", late <= LINEAR_TARGET * early)
    load.verdict()


if __name__ == "__main__":
    main()
