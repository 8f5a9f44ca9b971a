"""The local runner against `dvc repro` on the same work, and its growth with the steps.

The work: a relay of N trivial steps (3, 25 and 50), each reading the file its input holds
and writing it on, with a line added, to its output; the first reads a registered dataset
(for DVC: a tracked folder). The local runner runs a scratch model folder whose
aml_pipeline.py declares the steps; DVC runs a dvc.yaml of the same stages, each calling a
plain script doing the same.

Measured side by side, CPU time, interleaved rounds:
- fresh: every step runs (runner: --no-reuse; DVC: repro --force); a tool's overhead is
  its CPU time minus that of the N plain scripts run directly, one process each;
- no-op: nothing changed, nothing runs (runner: run again; DVC: repro); the overhead is
  all of it.
Goals: the runner's overhead at most 0.25x DVC's, on 3 and on 50 steps, fresh and no-op;
and its no-op rerun linear in the steps: each step from 25 to 50 costs at most 1.25x what
each from 3 to 25 did. That one is measured inside one process which runs the three
no-op pipelines in turn (the runner's own CPU time, without a new interpreter's start-up,
which would drown a millisecond a step).

DVC is installed in the benchmark environment only (virtualenvs/requirements-benchmark.txt),
found as $BENCHMARK_DVC (tox -e benchmark sets it) or on PATH; without it, the runner's own
figures are printed and the DVC goals are skipped.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from testing.benchmarks.measure import (MachineLoad, Spread, cpu_of, goal, interleaved,
                                        ratio)
from testing.benchmarks.scratch import copy_repository, environment

ROUNDS = 5
SIZES = (3, 25, 50)
COMPARED = (3, 50)
TARGET_RATIO = 0.25
LINEAR_TARGET = 1.25
DVC_ENV_VAR = "BENCHMARK_DVC"

PLAIN_RELAY = '''"""One relay step, as a plain script: relay.py SOURCE_FOLDER TARGET_FOLDER STEP."""
import sys
from pathlib import Path

source, target = Path(sys.argv[1]), Path(sys.argv[2])
target.mkdir(parents=True, exist_ok=True)
text = next(p for p in sorted(source.iterdir()) if p.is_file()).read_text(encoding="utf-8")
(target / "relay.txt").write_text(f"{text}{sys.argv[3]}\\n", encoding="utf-8")
'''
RUNNER_RELAY = '''"""One relay step under the local runner: its input's file on to its output."""
import sys
from pathlib import Path

from shared_code.amltoolbox import get_run_context, run_step


def main():
    """Read the input folder's file, write it on with this step's line."""
    run = get_run_context()
    source, target = Path(run.input_datasets["source"]), Path(run.output_datasets["out"])
    target.mkdir(parents=True, exist_ok=True)
    text = next(p for p in sorted(source.iterdir()) if p.is_file()).read_text(encoding="utf-8")
    (target / "relay.txt").write_text(f"{text}{sys.argv[1]}\\n", encoding="utf-8")


if __name__ == "__main__":
    run_step(main)
'''
PIPELINE = '''"""A relay of {steps} trivial steps, for the benchmark."""
from pathlib import Path

from shared_code.amltoolbox.cli import pipeline_cli
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.pipeline import Step, output_of, registered

CONFIG = load_model_config(Path(__file__).resolve().parent)


def declare_steps():
    """Step 1 reads the dataset, each next one the output of the one before."""
    steps = [Step("step_001", "relay.py", inputs={{"source": registered(
        CONFIG.dataset("training").name)}}, outputs=["out"], arguments=["1"])]
    for index in range(2, {steps} + 1):
        steps.append(Step(f"step_{{index:03d}}", "relay.py",
                          inputs={{"source": output_of(f"step_{{index - 1:03d}}", "out")}},
                          outputs=["out"], arguments=[str(index)]))
    return steps


def run_pipeline(argv=None):
    """Run it here."""
    pipeline_cli.main(CONFIG, declare_steps(), "{folder}", argv)
'''
CONFIG = '''model:
  folder: {folder}
azureml:
  compute_target: cpu-cluster
datasets:
  training:
    name: benchmark-relay{steps}-training-01
    type: file
    path: data/source
    description:
      data_source: written by the benchmark
      content: one line of text
      original_purpose: a relay of trivial steps
      contacts: nobody@example.com
evaluation:
  primary_metric: none
  greater_is_better: false
'''


# Runs the no-op pipelines named on its command line in turn, in this one process, for the
# given rounds; prints each one's CPU seconds per round as JSON.
IN_PROCESS = """import importlib, json, resource, sys
from shared_code.amltoolbox.local.runner import LocalPipelineRunner
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.records import REUSED
models, rounds = sys.argv[1:-1], int(sys.argv[-1])
workspace = LocalWorkspace()
pipelines = {model: importlib.import_module(model + ".aml_pipeline") for model in models}
figures = {model: [] for model in models}
for _ in range(rounds):
    for model, pipeline in pipelines.items():
        usage = resource.getrusage(resource.RUSAGE_SELF)
        result = LocalPipelineRunner(pipeline.CONFIG, pipeline.declare_steps(),
                                     workspace=workspace, report=lambda line: None).run()
        after = resource.getrusage(resource.RUSAGE_SELF)
        assert all(step.status == REUSED for step in result.steps), result
        figures[model].append(after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime)
print(json.dumps(figures))
"""
GROWTH_ROUNDS = 15


def _relay_model(repo: Path, steps: int) -> str:
    """A model folder relay_<steps> in `repo`; its name."""
    folder = repo / f"relay_{steps}"
    (folder / "config").mkdir(parents=True)
    (folder / "script_steps").mkdir()
    (folder / "data" / "source").mkdir(parents=True)
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "aml_pipeline.py").write_text(PIPELINE.format(steps=steps, folder=folder.name),
                                            encoding="utf-8")
    (folder / "config" / "model_config.yml").write_text(
        CONFIG.format(steps=steps, folder=folder.name), encoding="utf-8")
    (folder / "script_steps" / "relay.py").write_text(RUNNER_RELAY, encoding="utf-8")
    (folder / "data" / "source" / "start.txt").write_text("start\n", encoding="utf-8")
    return folder.name


def _dvc_project(root: Path, steps: int, dvc: str) -> Path:
    """A DVC project (no git) whose dvc.yaml relays over `steps` stages."""
    root.mkdir(parents=True)
    (root / "relay.py").write_text(PLAIN_RELAY, encoding="utf-8")
    (root / "data" / "source").mkdir(parents=True)
    (root / "data" / "source" / "start.txt").write_text("start\n", encoding="utf-8")
    stages = []
    for index in range(1, steps + 1):
        source = "data/source" if index == 1 else f"out/step_{index - 1:03d}"
        stages.append(f"  step_{index:03d}:\n"
                      f"    cmd: {sys.executable} relay.py {source} out/step_{index:03d} {index}\n"
                      f"    deps: [relay.py, {source}]\n"
                      f"    outs: [out/step_{index:03d}]\n")
    (root / "dvc.yaml").write_text("stages:\n" + "".join(stages), encoding="utf-8")
    for command in (["init", "--no-scm", "--quiet"], ["config", "core.analytics", "false"]):
        subprocess.run([dvc, *command], cwd=root, check=True, env=_dvc_env())
    return root


def _dvc_env() -> dict:
    return {**os.environ, "DVC_NO_ANALYTICS": "1"}


def _direct(root: Path, steps: int) -> float:
    """CPU of the plain relay scripts run one after the other, with no tool around them."""
    total = 0.0
    for index in range(1, steps + 1):
        source = root / ("data/source" if index == 1 else f"direct/step_{index - 1:03d}")
        total += cpu_of([sys.executable, str(root / "relay.py"), str(source),
                         str(root / f"direct/step_{index:03d}"), str(index)])
    return total


def _find_dvc() -> str | None:
    return os.environ.get(DVC_ENV_VAR) or shutil.which("dvc")


def _measures(repo: Path, workspace: Path, dvc_root: Path | None, steps: int, dvc: str | None):
    model = _relay_model(repo, steps)
    env = environment(repo, workspace)
    run = [sys.executable, "-m", "shared_code.amltoolbox", "run", model]
    cpu_of(run, env, repo)  # the dataset registered, every step run once
    measures = {"runner no-op": lambda: cpu_of(run, env, repo)}
    if steps in COMPARED:
        measures["runner fresh"] = lambda: cpu_of([*run, "--no-reuse"], env, repo)
    if dvc and steps in COMPARED:
        project = _dvc_project(dvc_root / f"relay_{steps}", steps, dvc)
        cpu_of([dvc, "repro", "--quiet"], _dvc_env(), project)
        measures["dvc fresh"] = lambda: cpu_of([dvc, "repro", "--force", "--quiet"], _dvc_env(),
                                               project)
        measures["dvc no-op"] = lambda: cpu_of([dvc, "repro", "--quiet"], _dvc_env(), project)
        measures["scripts alone"] = lambda: _direct(project, steps)
    return measures


def _report_against_dvc(steps: int, figures: dict) -> None:
    for name, values in figures.items():
        print(f"{steps} steps, {name}: CPU {Spread.of(values).text(1, ' s')}")
    if "dvc fresh" not in figures:
        return
    direct = figures["scripts alone"]
    runner_fresh = [a - b for a, b in zip(figures["runner fresh"], direct)]
    dvc_fresh = [a - b for a, b in zip(figures["dvc fresh"], direct)]
    for kind, runner, dvc in (("fresh", runner_fresh, dvc_fresh),
                              ("no-op", figures["runner no-op"], figures["dvc no-op"])):
        value, spread = ratio(runner, dvc)
        goal(f"runner overhead over dvc repro's, {steps} steps, {kind} (target <= "
             f"{TARGET_RATIO}x)", f"{value:.2f}x: runner {Spread.of(runner).text(1, ' s')}, "
             f"dvc {Spread.of(dvc).text(1, ' s')}; per round {spread.text(digits=2)}",
             value <= TARGET_RATIO)


def _no_op_in_process(repo: Path, workspace: Path) -> dict[int, list]:
    """Each relay's no-op run, inside one process, GROWTH_ROUNDS times: CPU seconds."""
    done = subprocess.run([sys.executable, "-c", IN_PROCESS, *(f"relay_{n}" for n in SIZES),
                           str(GROWTH_ROUNDS)], cwd=repo, env=environment(repo, workspace),
                          capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.splitlines()[-1])
    return {steps: figures[f"relay_{steps}"] for steps in SIZES}


def _report_growth(no_op: dict[int, list]) -> None:
    small, middle, large = SIZES
    for steps in SIZES:
        print(f"{steps} steps, runner no-op in one process: CPU "
              f"{Spread.of(no_op[steps]).text(1e3, ' ms', 1)}")
    first = [(b - a) / (middle - small) for a, b in zip(no_op[small], no_op[middle])]
    second = [(c - b) / (large - middle) for b, c in zip(no_op[middle], no_op[large])]
    value, spread = ratio(second, first)
    goal(f"runner no-op rerun linear in the steps: CPU per step from {middle} to {large} over "
         f"from {small} to {middle} (target <= {LINEAR_TARGET}x)",
         f"{value:.2f}x ({Spread.of(second).text(1e3, ' ms', 1)} per step vs "
         f"{Spread.of(first).text(1e3, ' ms', 1)}; per round {spread.text(digits=2)})",
         value <= LINEAR_TARGET)


def main() -> None:
    """Measure and print the goals."""
    load = MachineLoad()
    load.read("at start")
    dvc = _find_dvc()
    if not dvc:
        print(f"DVC not found (${DVC_ENV_VAR} or PATH): run `tox -e benchmark`; its goals are "
              "skipped")
    with tempfile.TemporaryDirectory(prefix="bench-runner-") as tmp:
        repo = copy_repository(Path(tmp) / "repo")
        measures = {steps: _measures(repo, Path(tmp) / "workspace", Path(tmp) / "dvc", steps,
                                     dvc) for steps in SIZES}
        flat = {f"{steps}|{name}": measure for steps, named in measures.items()
                for name, measure in named.items()}
        figures = interleaved(ROUNDS, flat)
        growth = _no_op_in_process(repo, Path(tmp) / "workspace")
    by_size: dict[int, dict] = {steps: {} for steps in SIZES}
    for key, values in figures.items():
        steps, name = key.split("|")
        by_size[int(steps)][name] = values
    for steps in SIZES:
        _report_against_dvc(steps, by_size[steps])
    _report_growth(growth)
    load.read("at end")
    load.verdict()


if __name__ == "__main__":
    main()
