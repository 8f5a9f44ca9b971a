"""How much the local runner adds to the three scripts it runs.

1. Orchestration overhead: `run model_a --no-reuse` against the same three scripts run
   directly (same spec files, same workspace), median of several rounds. Target <= 0.3 s.
2. A re-run with nothing changed: everything is reused but register, which must run;
   overhead = the re-run minus register run directly. Target <= 0.3 s.
3. The local path imports no azureml package (each such import costs ~1 s per step).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import REPO_ROOT, WORKSPACE_ENV_VAR
from shared_code.amltoolbox.run_context import STEP_SPEC_ENV_VAR

ROUNDS = 9
MODEL = "model_a"
TARGET_SECONDS = 0.3
SCRIPTS = {"train": "train_tabular.py", "evaluate": "evaluate.py", "register": "register.py"}


def _timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO_ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _step_env(base_env: dict, spec: Path) -> dict:
    return {**base_env, STEP_SPEC_ENV_VAR: str(spec)}


def _direct(workspace: LocalWorkspace, run_id: str, steps: list[str], env: dict) -> float:
    """Run the steps' scripts by hand with the specs the runner wrote for `run_id`."""
    total = 0.0
    for step in steps:
        spec = workspace.runs.step_dir(run_id, step) / "spec.json"
        script = REPO_ROOT / MODEL / "script_steps" / SCRIPTS[step]
        total += _timed([sys.executable, str(script)], _step_env(env, spec))
    return total


def _latest_run(workspace: LocalWorkspace) -> str:
    return workspace.runs.list(limit=1)[0].id


def _azureml_modules_on_local_path(env: dict) -> list[str]:
    probe = ("import sys\n"
             "import shared_code.amltoolbox.local.runner, shared_code.amltoolbox.cli.main\n"
             "import shared_code.amltoolbox.promotion.evaluation\n"
             "import shared_code.amltoolbox.promotion.registration\n"
             f"import {MODEL}.aml_pipeline, {MODEL}.script_steps.train_tabular\n"
             f"import {MODEL}.script_steps.evaluate, {MODEL}.script_steps.register\n"
             "print(' '.join(m for m in sys.modules if m.startswith('azureml')))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return out


def main() -> None:
    """Measure and print the three figures."""
    with tempfile.TemporaryDirectory(prefix="bench-runner-") as root:
        env = {**os.environ, WORKSPACE_ENV_VAR: root,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                           os.environ.get("PYTHONPATH")]))}
        runner = [sys.executable, "-m", "shared_code.amltoolbox", "run", MODEL]
        _timed(runner, env)  # first run: datasets prepared, model 1 registered, caches warm
        workspace = LocalWorkspace(Path(root))
        overheads, reruns = [], []
        for _ in range(ROUNDS):
            pipeline = _timed([*runner, "--no-reuse"], env)
            direct = _direct(workspace, _latest_run(workspace), ["train", "evaluate", "register"],
                             env)
            overheads.append(pipeline - direct)
            rerun = _timed(runner, env)
            register = _direct(workspace, _latest_run(workspace), ["register"], env)
            reruns.append(rerun - register)
        workspace.close()
        modules = _azureml_modules_on_local_path(env)
    print(f"orchestration overhead, 3 steps (--no-reuse minus the scripts run directly): "
          f"median {statistics.median(overheads):.3f} s over {ROUNDS} rounds "
          f"(min {min(overheads):.3f}, max {max(overheads):.3f}); target <= {TARGET_SECONDS} s")
    print(f"re-run with nothing changed, beyond register (which must run): "
          f"median {statistics.median(reruns):.3f} s (min {min(reruns):.3f}, "
          f"max {max(reruns):.3f}); target <= {TARGET_SECONDS} s")
    print(f"azureml modules imported on the local path: {len(modules)} "
          f"{'(' + ', '.join(modules[:5]) + ')' if modules else ''}")


if __name__ == "__main__":
    main()
