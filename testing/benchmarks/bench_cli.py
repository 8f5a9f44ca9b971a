"""The command line's start-up, and `models list --json` with 10,000 registered models.

1. `--help`, `models list` and `runs list` (a workspace with one model and one run): CPU
   time over a bare `python -c pass`, measured side by side. Goal: at most 120 ms each.
2. `models list --json` with 10,000 registered models: CPU time. Goal: at most 300 ms.

The 10,000 models are rows of the registry index copied from one real registration (with
its tags, properties and lineage), so that listing them costs what listing real ones would.
"""
import sqlite3
import sys
import tempfile
from pathlib import Path

from shared_code.amltoolbox.local.runner_identity import runner_identity
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import REPO_ROOT
from testing.benchmarks.measure import MachineLoad, Spread, cpu_of, goal, interleaved
from testing.benchmarks.scratch import environment

ROUNDS = 15
LIST_ROUNDS = 7
MODELS = 10_000
START_UP_TARGET_S = 0.120
LIST_TARGET_S = 0.300
COMMANDS = {"--help": ["--help"], "models list": ["models", "list"],
            "runs list": ["runs", "list"]}


def _one_model_workspace(root: Path) -> LocalWorkspace:
    """A workspace holding one registered model, with model_a's kind of metadata, and a run."""
    workspace = LocalWorkspace(root)
    artifact = root.parent / "model.pkl"
    artifact.parent.mkdir(parents=True, exist_ok=True)
    artifact.write_bytes(b"\0" * 4096)
    run_id = workspace.runs.start_run("model_a", "model_a", runner_identity())  # alive: this one
    workspace.models.register(
        "model_a", artifact, "XGBoost regressor predicting diabetes disease progression one "
        "year after baseline from ten baseline measurements.",
        tags={"algorithm": "xgboost", "modeltype": "regression", "project": "diabetes"},
        properties={"rmse": 55.24, "mae": 43.77, "r2": 0.448, "sha256": "0" * 64},
        lineage={"azureml.git.commit": "0" * 40, "azureml.git.dirty": "False",
                 "pipeline_run_id": run_id,
                 "training_data": {"train_data": "regression-diabetes-training-01:1"},
                 "testing_data": {"test_data": "regression-diabetes-testing-01:1"}},
        run_id=run_id)
    workspace.runs.end_run(run_id, "Completed")
    return workspace


def _with_models(workspace: LocalWorkspace, count: int) -> None:
    """`count` model versions in the index, each a copy of the one registered."""
    database = sqlite3.connect(workspace.root / "workspace.db")
    row = database.execute("SELECT * FROM models").fetchone()
    database.execute("DELETE FROM models")
    database.executemany("INSERT INTO models VALUES (?,?,?,?,?,?,?,?,?,?)", [
        (f"model_{i // 10:04d}", i % 10 + 1, f"{i:064x}", *row[3:]) for i in range(count)])
    database.commit()
    database.close()


def main() -> None:
    """Measure and print the goals."""
    load = MachineLoad()
    load.read("at start")
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        small, large = Path(tmp) / "one", Path(tmp) / "many"
        _one_model_workspace(small / "workspace").close()
        _with_models(_one_model_workspace(large / "workspace"), MODELS)

        def command(args, root):
            return lambda: cpu_of([python, "-m", "shared_code.amltoolbox", *args],
                                  environment(REPO_ROOT, root / "workspace"), REPO_ROOT)

        figures = interleaved(ROUNDS, {
            "python -c pass": lambda: cpu_of([python, "-c", "pass"]),
            **{name: command(args, small) for name, args in COMMANDS.items()}})
        listing = interleaved(LIST_ROUNDS, {
            "models list --json": command(["models", "list", "--json"], large)})
    bare = Spread.of(figures.pop("python -c pass"))
    print(f"python -c pass: CPU {bare.text(1e3, ' ms', 0)}")
    for name, values in figures.items():
        over = Spread.of([value - bare.median for value in values])
        goal(f"`{name}` CPU over a bare python (target <= {START_UP_TARGET_S * 1e3:.0f} ms)",
             over.text(1e3, " ms", 0), over.median <= START_UP_TARGET_S)
    spread = Spread.of(listing["models list --json"])
    goal(f"`models list --json` with {MODELS:,} models, CPU (target <= "
         f"{LIST_TARGET_S * 1e3:.0f} ms)", spread.text(1e3, " ms", 0),
         spread.median <= LIST_TARGET_S)
    load.read("at end")
    load.verdict()


if __name__ == "__main__":
    main()
