"""What explaining reuse and replaying a step cost.

model_a's pipeline runs in a scratch copy of the repository (datasets made, model trained
and registered), then once more so that evaluate compares with the champion it will keep.

- `run model_a --explain` on a no-op run (train and evaluate reused, register run: it must)
  against the same no-op run without --explain, CPU side by side.
  Goal: at most 1.2x.
- `replay RUN evaluate` (the command, with its own start-up and bookkeeping) against the
  evaluate step's own process, started as the runner starts it on the same inputs, CPU
  side by side; and the replay's summary.json against the original's, byte for byte.
  Goal: at most 1.2x, and identical.
"""
import json
import sys
import tempfile
from pathlib import Path

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE
from shared_code.amltoolbox.run_context import STEP_SPEC_ENV_VAR
from testing.benchmarks.measure import MachineLoad, Spread, cpu_of, goal, interleaved, ratio
from testing.benchmarks.scratch import copy_repository, environment

MODEL = "model_a"
ROUNDS = 5
TARGET_RATIO = 1.2
CLI = [sys.executable, "-m", "shared_code.amltoolbox"]
LAUNCHER = "shared_code.amltoolbox.local.step_launcher"


def _latest_run(workspace: Path) -> str:
    opened = LocalWorkspace(workspace)
    try:
        return opened.runs.list(limit=1)[0].id
    finally:
        opened.close()


def _step_record(workspace: Path, run_id: str, step: str):
    opened = LocalWorkspace(workspace)
    try:
        return opened.runs.step(run_id, step)
    finally:
        opened.close()


class EvaluateAlone:
    """The evaluate step's own process on the inputs a replay gave it, each time with fresh
    outputs: what the runner starts for the step, and nothing else."""

    def __init__(self, spec_file: Path, repo: Path, workspace: Path, scratch: Path):
        self.spec = json.loads(spec_file.read_text(encoding="utf-8"))
        self.repo, self.workspace, self.scratch = repo, workspace, scratch
        self.count = 0

    def __call__(self) -> float:
        self.count += 1
        step_dir = self.scratch / f"evaluate-{self.count}"
        outputs = {name: str(step_dir / "outputs" / name) for name in self.spec["outputs"]}
        spec = {**self.spec, "step_dir": str(step_dir), "outputs": outputs}
        step_dir.mkdir(parents=True)
        spec_file = step_dir / "spec.json"
        spec_file.write_text(json.dumps(spec), encoding="utf-8")
        script = self.repo / MODEL / "script_steps" / "evaluate.py"
        env = {**environment(self.repo, self.workspace), STEP_SPEC_ENV_VAR: str(spec_file),
               "PYTHONUNBUFFERED": "1"}
        return cpu_of([sys.executable, "-m", LAUNCHER, str(script)], env, self.repo)


def _explain_goal(run, env, repo) -> None:
    measures = {"no-op run": lambda: cpu_of(run, env, repo),
                "no-op run --explain": lambda: cpu_of([*run, "--explain"], env, repo)}
    figures = interleaved(ROUNDS, measures)
    for name, values in figures.items():
        print(f"{name}: CPU {Spread.of(values).text(1, ' s')}")
    value, spread = ratio(figures["no-op run --explain"], figures["no-op run"])
    goal("--explain on a no-op run over the no-op run", f"{value:.2f}x (rounds "
         f"{spread.low:.2f}-{spread.high:.2f}x)", value <= TARGET_RATIO)


def _replay_goal(original: str, env, repo: Path, workspace: Path, scratch: Path) -> None:
    replay = [*CLI, "replay", original, "evaluate"]
    cpu_of(replay, env, repo)  # the first replay writes the spec the step alone reuses
    first = _latest_run(workspace)
    replayed = _step_record(workspace, first, "evaluate")
    recorded = _step_record(workspace, original, "evaluate")
    summary = Path(replayed.outputs["model_score"]) / SUMMARY_FILE
    identical = summary.read_bytes() == (Path(recorded.outputs["model_score"])
                                         / SUMMARY_FILE).read_bytes()
    goal("replay evaluate reproduces summary.json byte for byte",
         "identical" if identical else "different", identical)
    alone = EvaluateAlone(Path(replayed.outputs["model_score"]).parents[1] / "spec.json",
                          repo, workspace, scratch)
    figures = interleaved(ROUNDS, {"evaluate step alone": alone,
                                   "replay evaluate": lambda: cpu_of(replay, env, repo)})
    for name, values in figures.items():
        print(f"{name}: CPU {Spread.of(values).text(1, ' s')}")
    value, spread = ratio(figures["replay evaluate"], figures["evaluate step alone"])
    goal("replay evaluate over the evaluate step's own time", f"{value:.2f}x (rounds "
         f"{spread.low:.2f}-{spread.high:.2f}x)", value <= TARGET_RATIO)


def main() -> None:
    """Measure and print the goals."""
    load = MachineLoad()
    load.read("at start")
    with tempfile.TemporaryDirectory(prefix="bench-reuse-") as tmp:
        workspace, scratch = Path(tmp) / "workspace", Path(tmp) / "scratch"
        repo = copy_repository(Path(tmp) / "repo", (MODEL,))
        env = environment(repo, workspace)
        run = [*CLI, "run", MODEL]
        print(f"running {MODEL} twice (data made, model trained and registered, then "
              "evaluated against it) ...", flush=True)
        cpu_of(run, env, repo)
        cpu_of(run, env, repo)
        original = _latest_run(workspace)
        _explain_goal(run, env, repo)
        _replay_goal(original, env, repo, workspace, scratch)
    load.read("at end")
    load.verdict()
