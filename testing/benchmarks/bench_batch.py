"""Batch scoring (`score MODEL`) against the model's own predict, in-process, on the same data.

In a scratch workspace ($AML_LOCAL_WORKSPACE) each model's pipeline runs once and registers
the model (so a fresh clone can run it), then:

1. model_a, a generated CSV of 1,000,000 patients: rows per second of `score --workers 1`
   against reading the same CSV in chunks with pandas and calling the registered
   XGBRegressor's predict() on each chunk, in this process; goal: >= 0.8x. `--workers 2`
   against `--workers 1`: goal >= 1.6x.
2. model_a's memory: the peak RSS of the command's processes (main and workers, sampled by
   psutil) for 10,000 (one chunk), 100,000 and 1,000,000 rows; goals: the growth over the
   one-chunk peak at 1,000,000 <= 300 MB, and the 1,000,000-row peak within 20% of the
   100,000-row peak.
3. model_b, a folder of 10,000 PNG images (the testing images copied over and over):
   files per second of `score --workers 1` against reading, decoding and predict_proba()
   in chunks, in this process; goal: >= 0.8x.

Rates are marginal: each measure also runs on one chunk, and that run's cost (start-up,
init(), the input's hash; the same for any size) is taken away, so that a rate is the
scoring's own. They are given in wall time and in CPU time (user + system of every process,
workers and library threads included, sampled by psutil every 50 ms, so the last moments of a
process may be missed): on a loaded machine the CPU figures hold better. The whole
command's wall rate is printed too, and the rounds are interleaved (measure.py).
"""
import base64
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import load_model
from shared_code.amltoolbox.paths import REPO_ROOT, WORKSPACE_ENV_VAR
from shared_code.amltoolbox.serving.local_server import registered_model
from testing.benchmarks.measure import MachineLoad, Spread, goal, interleaved, ratio
from testing.testing_helpers import run_model_pipeline

ROWS = 1_000_000
MEMORY_ROWS = (10_000, 100_000, 1_000_000)
IMAGES = 10_000
CHUNK_ROWS = 10_000
IMAGE_CHUNK = 1_000  # model_b's serving.max_rows, its chunk
ONE_CHUNK = ", one chunk"
ROUNDS = 2
THROUGHPUT_FLOOR = 0.8
WORKERS_GOAL = 1.6
GROWTH_LIMIT_MB = 300
SAME_WITHIN = 0.2
SAMPLE_SECONDS = 0.05


def _patients_csv(path: Path, rows: int) -> Path:
    """`rows` patients drawn from model_a's testing data, each value jittered."""
    config = load_model_config(model_folder("model_a"))
    testing = pd.concat(pd.read_csv(f) for f in sorted(
        (config.folder / config.dataset("testing").path).glob("*.csv")))
    features = testing[config.training["features"]]
    rng = np.random.default_rng(0)
    sample = features.iloc[rng.integers(0, len(features), rows)].reset_index(drop=True)
    jitter = rng.normal(1.0, 0.02, size=sample.shape)
    (sample * jitter).round(4).to_csv(path, index=False)
    return path


def _image_folder(folder: Path, count: int) -> Path:
    """`count` PNG files copied from model_b's testing images, a folder per digit."""
    config = load_model_config(model_folder("model_b"))
    images = sorted((config.folder / config.dataset("testing").path).rglob("*.png"))
    for index in range(count):
        image = images[index % len(images)]
        target = folder / image.parent.name / f"{index:05d}_{image.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(image, target)
    return folder


def _registered(model: str):
    record = registered_model(model)
    return load_model(record.path)[0]


@dataclass(frozen=True)
class Cost:
    """Wall and CPU seconds of one measure, and the peak RSS of its processes (MB)."""
    wall: float
    cpu: float
    peak_mb: float = 0.0

    def minus(self, fixed: "Cost") -> "Cost":
        """What is left once a fixed cost (start-up, init()) is taken away."""
        return Cost(self.wall - fixed.wall, self.cpu - fixed.cpu, self.peak_mb)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _in_process(work) -> Cost:
    """The wall and CPU seconds of `work()` in this process (its threads included)."""
    wall, cpu = time.perf_counter(), _own_cpu()
    work()
    return Cost(time.perf_counter() - wall, _own_cpu() - cpu)


def _predict_model_a(csv: Path, features: list):
    model = _registered("model_a")
    return lambda: [model.predict(chunk[features])
                    for chunk in pd.read_csv(csv, chunksize=CHUNK_ROWS)]


def _predict_model_b(folder: Path):
    """Read, decode and classify every image in chunks, as the entry script's requests."""
    from shared_code.image_utils.image_requests import items_to_pixels
    from model_b.model import image_shape
    record = registered_model("model_b")
    model, info = load_model(record.path)
    shape = image_shape(info)
    paths = sorted(folder.rglob("*.png"))

    def predict():
        for start in range(0, len(paths), 1000):
            items = [{"image": base64.b64encode(p.read_bytes()).decode("ascii")}
                     for p in paths[start:start + 1000]]
            model.predict_proba(items_to_pixels(items, shape))
    return predict


def _score(model: str, source: Path, output: Path, workers: int) -> Cost:
    """The score command's wall and CPU seconds (its workers' included) and peak RSS."""
    command = [sys.executable, "-m", "shared_code.amltoolbox", "score", model, "--input",
               str(source), "--output", str(output), "--workers", str(workers)]
    wall = time.perf_counter()
    with subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True) as process:
        tree = _ProcessTree(process.pid)
        tree.start()
        _, err = process.communicate()
        tree.stop.set()
        tree.join()
    if process.returncode:
        raise RuntimeError(f"score {model} failed: {err}")
    return Cost(time.perf_counter() - wall, tree.cpu_seconds, tree.peak_mb)


class _ProcessTree(threading.Thread):
    """A process and its children, sampled: the peak of their summed RSS, and each one's CPU
    seconds as last seen (summed: the workers' own, whether or not their parent waits for
    them, which is what getrusage's children count depends on)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.stop = threading.Event()
        self.peak_mb = 0.0
        self.cpu: dict[int, float] = {}

    @property
    def cpu_seconds(self) -> float:
        """User + system seconds of every process of the tree seen."""
        return sum(self.cpu.values())

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_SECONDS):
            rss = 0
            try:
                tree = [self.process, *self.process.children(recursive=True)]
            except psutil.Error:
                continue
            for member in tree:
                try:
                    with member.oneshot():
                        rss += member.memory_info().rss
                        self.cpu[member.pid] = sum(member.cpu_times()[:2])
                except psutil.Error:
                    continue
            self.peak_mb = max(self.peak_mb, rss / 2 ** 20)


def _compare(label: str, items: int, unit: str, measures: dict) -> dict:
    """Run the measures in interleaved rounds and print each one's rates: whole (start-up
    included) and marginal (each command's one-chunk run, its fixed cost, taken away)."""
    costs = interleaved(ROUNDS, measures)
    fixed = {name[:-len(ONE_CHUNK)]: values for name, values in costs.items()
             if name.endswith(ONE_CHUNK)}
    rates = {}
    for name, values in costs.items():
        if name.endswith(ONE_CHUNK):
            continue
        marginal = [c.minus(f) for c, f in zip(values, fixed[name])]
        rates[name] = {"wall": [items / c.wall for c in marginal],
                       "cpu": [items / c.cpu for c in marginal],
                       "whole wall": [items / c.wall for c in values]}
        text = {kind: Spread.of(values).text(unit=f" {unit}/s", digits=0)
                for kind, values in rates[name].items()}
        print(f"{label}, {name}: {text['wall']} wall, {text['cpu']} of CPU; the whole "
              f"command {text['whole wall']}")
    return rates


def _floor_goal(label: str, rates: dict) -> None:
    for kind in ("cpu", "wall"):
        floor, spread = ratio(rates["workers 1"][kind], rates["in-process"][kind])
        goal(f"{label} batch (1 worker) >= {THROUGHPUT_FLOOR}x in-process predict, {kind} time",
             f"{floor:.2f}x ({spread.text(digits=2)})", floor >= THROUGHPUT_FLOOR)


def _model_a(scratch: Path) -> None:
    features = load_model_config(model_folder("model_a")).training["features"]
    csv = _patients_csv(scratch / "patients.csv", ROWS)
    small = _patients_csv(scratch / "patients_one_chunk.csv", CHUNK_ROWS)
    out = scratch / "scores.csv"
    rates = _compare(f"model_a {ROWS:,} rows", ROWS - CHUNK_ROWS, "rows", {
        "in-process": lambda: _in_process(_predict_model_a(csv, features)),
        "in-process" + ONE_CHUNK: lambda: _in_process(_predict_model_a(small, features)),
        "workers 1": lambda: _score("model_a", csv, out, 1),
        "workers 1" + ONE_CHUNK: lambda: _score("model_a", small, out, 1),
        "workers 2": lambda: _score("model_a", csv, out, 2),
        "workers 2" + ONE_CHUNK: lambda: _score("model_a", small, out, 2),
    })
    _floor_goal("model_a", rates)
    default, _ = ratio(rates["workers 2"]["wall"], rates["in-process"]["wall"])
    print(f"model_a batch (2 workers) against in-process predict, wall time: {default:.2f}x")
    scaling, spread = ratio(rates["workers 2"]["wall"], rates["workers 1"]["wall"])
    goal(f"model_a --workers 2 >= {WORKERS_GOAL}x --workers 1, wall time",
         f"{scaling:.2f}x ({spread.text(digits=2)})", scaling >= WORKERS_GOAL)
    peaks = {}
    for rows in MEMORY_ROWS:
        source = {ROWS: csv, CHUNK_ROWS: small}.get(rows) or _patients_csv(
            scratch / f"patients_{rows}.csv", rows)
        peaks[rows] = _score("model_a", source, out, 2).peak_mb
        print(f"model_a {rows:,} rows, 2 workers: peak RSS {peaks[rows]:.0f} MB")
    growth = peaks[ROWS] - peaks[CHUNK_ROWS]
    goal(f"model_a peak RSS growth at {ROWS:,} rows (over one chunk's) <= {GROWTH_LIMIT_MB} MB",
         f"{growth:.0f} MB", growth <= GROWTH_LIMIT_MB)
    same = abs(peaks[ROWS] - peaks[100_000]) / peaks[100_000]
    goal(f"model_a peak RSS at {ROWS:,} rows within {SAME_WITHIN:.0%} of 100,000 rows'",
         f"{same:.1%}", same <= SAME_WITHIN)


def _model_b(scratch: Path) -> None:
    folder = _image_folder(scratch / "images", IMAGES)
    one_chunk = _image_folder(scratch / "images_one_chunk", IMAGE_CHUNK)
    out = scratch / "digits.csv"
    rates = _compare(f"model_b {IMAGES:,} images", IMAGES - IMAGE_CHUNK, "files", {
        "in-process": lambda: _in_process(_predict_model_b(folder)),
        "in-process" + ONE_CHUNK: lambda: _in_process(_predict_model_b(one_chunk)),
        "workers 1": lambda: _score("model_b", folder, out, 1),
        "workers 1" + ONE_CHUNK: lambda: _score("model_b", one_chunk, out, 1),
    })
    _floor_goal("model_b", rates)


def main() -> None:
    """Register both models in a scratch workspace, then measure."""
    load = MachineLoad()
    load.read("at the start")
    with tempfile.TemporaryDirectory(prefix="bench_batch-") as scratch:
        scratch = Path(scratch)
        os.environ[WORKSPACE_ENV_VAR] = str(scratch / "workspace")
        for model in ("model_a", "model_b"):
            result = run_model_pipeline(model, scratch / "workspace")
            if not result.succeeded:
                raise RuntimeError(f"{model}'s pipeline failed: {result.error}")
        _model_a(scratch)
        _model_b(scratch)
    load.read("at the end")
    load.verdict()
