"""A run with nothing changed costs the same whatever the size of the data it did not read.

model_b's pipeline runs once (datasets registered, model trained and registered); then its
no-op rerun (train and evaluate reused, register run: it must) is measured side by side in
two scratch copies of the repository sharing that workspace: one whose data/ folder holds
model_b's 1,797 PNG files, one whose data/ holds 100 times as many (the extra 99 copies of
each image, hard links where the file system allows, not registered: training an SVC on
180,000 images would take hours, and the rerun reads data/ the same way either way).

Goal: the no-op rerun with 100x the files costs at most 1.5x the CPU of the one with 1x.
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path

from testing.benchmarks.measure import MachineLoad, Spread, cpu_of, goal, interleaved, ratio
from testing.benchmarks.scratch import copy_repository, environment

MODEL = "model_b"
ROUNDS = 5
COPIES = 100
TARGET_RATIO = 1.5


def _multiply(data: Path, copies: int) -> int:
    """Add copies - 1 copies of every file under `data`, beside it; the files there now."""
    originals = [p for p in data.rglob("*") if p.is_file()]
    for original in originals:
        for copy in range(1, copies):
            target = original.with_name(f"copy{copy:03d}_{original.name}")
            try:
                os.link(original, target)
            except OSError:
                shutil.copy2(original, target)
    return len(originals) * copies


def main() -> None:
    """Measure and print the goal."""
    load = MachineLoad()
    load.read("at start")
    with tempfile.TemporaryDirectory(prefix="bench-noop-data-") as tmp:
        workspace = Path(tmp) / "workspace"
        one = copy_repository(Path(tmp) / "one", (MODEL,))
        run = [sys.executable, "-m", "shared_code.amltoolbox", "run", MODEL]
        print(f"training {MODEL} once (its datasets are made and registered) ...", flush=True)
        cpu_of(run, environment(one, workspace), one)
        many = copy_repository(Path(tmp) / "many", (MODEL,))
        shutil.copytree(one / MODEL / "data", many / MODEL / "data")
        files = _multiply(many / MODEL / "data", COPIES)
        print(f"{files:,} files under the {COPIES}x copy's data/", flush=True)
        measures = {"1x": lambda: cpu_of(run, environment(one, workspace), one),
                    f"{COPIES}x": lambda: cpu_of(run, environment(many, workspace), many)}
        for measure in measures.values():  # first look at the files: a cache may fill here
            measure()
        figures = interleaved(ROUNDS, measures)
    for name, values in figures.items():
        print(f"no-op rerun, data/ with {name} the files: CPU {Spread.of(values).text(1, ' s')}")
    value, spread = ratio(figures[f"{COPIES}x"], figures["1x"])
    goal(f"no-op rerun with {COPIES}x the files over 1x, CPU (target <= {TARGET_RATIO}x)",
         f"{value:.2f}x (per round {spread.text(digits=2)})", value <= TARGET_RATIO)
    load.read("at end")
    load.verdict()


if __name__ == "__main__":
    main()
