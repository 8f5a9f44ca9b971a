"""Helpers the tests share: temporary workspaces, pipelines run for real, fake step runs."""
import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Sequence

import pytest

from shared_code.amltoolbox.cli.main import main as cli_main
from shared_code.amltoolbox.local.local_run import LocalRun
from shared_code.amltoolbox.local.registry import LocalRegistry
from shared_code.amltoolbox.local.runner import LocalPipelineRunner
from shared_code.amltoolbox.local.runner_identity import runner_identity
from shared_code.amltoolbox.local.runs import RunNotFoundError
from shared_code.amltoolbox.local.step_spec import InputSpec, StepSpec
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.records import RunResult
from shared_code.amltoolbox.run_context import (AZUREML_RUN_ENV_VAR, STEP_SPEC_ENV_VAR,
                                                current_runtime, get_run_context)
from shared_code.amltoolbox.step_context import StepContext, model_folder_of

SAMPLES_DIR_NAME = "testing_samples"
NOT_COPIED = (".git", ".tox", ".aml_workspace", ".venv*", "reports", "__pycache__", "output",
              ".new-model-*", ".coverage", ".coverage.*", ".pytest_cache")


def copy_repository(destination: Path) -> Path:
    """A copy of the repository's code, config and tests (no data, envs or runs), as git
    holds it: a model's data/ keeps only its README."""
    skip = shutil.ignore_patterns(*NOT_COPIED)

    def ignore(folder, names):
        kept = {"README.md"} if Path(folder).name == "data" else set(names)
        return set(skip(folder, names)) | (set(names) - kept)
    shutil.copytree(REPO_ROOT, destination, ignore=ignore)
    return destination


def subprocess_env(repo: Path, workspace: Path) -> dict:
    """The environment of a command run in a repository copy: its code first, its own local
    workspace, no coverage hooks of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_", "COVERAGE"))}
    env.update(PYTHONPATH=str(repo), AML_LOCAL_WORKSPACE=str(workspace))
    return env


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of one `python -m shared_code.amltoolbox` command, run
    in-process."""
    with pytest.raises(SystemExit) as exited:
        cli_main(list(argv))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def check_func_in_obj(func_name: str, obj) -> bool:
    """Whether `obj` (a module or class) defines a callable `func_name`: a test of a
    function a copied model may have dropped is skipped (skipif) rather than failing."""
    return callable(getattr(obj, func_name, None)) and (
        not inspect.ismodule(obj) or getattr(obj, func_name).__module__ == obj.__name__)


def run_model_pipeline(model: str, workspace_root: Path, reuse: bool = True,
                       lines: list | None = None) -> RunResult:
    """Run a model folder's real pipeline in the workspace at `workspace_root`."""
    config, steps = load_pipeline(model)
    workspace = LocalWorkspace(workspace_root)
    try:
        report = lines.append if lines is not None else (lambda line: None)
        return LocalPipelineRunner(config, steps, workspace, reuse=reuse, report=report).run()
    finally:
        workspace.close()


def statuses(result: RunResult) -> list[str]:
    """Each step's status, in order."""
    return [step.status for step in result.steps]


def registered_versions(root: Path, name: str) -> list[int]:
    """The versions of the model registered in the workspace at `root`."""
    workspace = LocalWorkspace(root)
    try:
        return [model.version for model in workspace.models.list(name)]
    finally:
        workspace.close()


def committed_repository(root: Path, files: Sequence[str]) -> Path:
    """A git repository at `root` with `files` (paths in it, each holding a line) committed;
    none: nothing committed yet."""
    for path in files:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("A = 1\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "init", "-q"], check=True, capture_output=True)
    if files:
        for args in (["add", "-A"], ["-c", "user.email=t@example.com", "-c", "user.name=t",
                                     "commit", "-qm", "a"]):
            subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    return root


def record_live_run(workspace: LocalWorkspace, run_id: str) -> str:
    """Record run `run_id` as Running, owned by this process, as the runner would: what a
    registration made for that run requires."""
    try:
        workspace.runs.get(run_id)
    except RunNotFoundError:
        workspace.runs.start_run("test", "test", runner_identity(), run_id=run_id)
    return run_id


def make_local_run(tmp_path: Path, inputs: dict | None = None, outputs: tuple = (),
                   step: str = "step", workspace_root: Path | None = None) -> LocalRun:
    """A LocalRun as the runner would give a step, for calling a script's main() in-process;
    its run is recorded as Running in its workspace.

    `inputs` maps input names to InputSpec fields, e.g. {"model": {"type": "output", "path":
    ...}} or {"train_data": {"type": "tabular", "name": ..., "version": 1, "path": ...}}.
    """
    step_dir = tmp_path / "run" / step
    spec = StepSpec(run_id="test_run", step=step, step_dir=str(step_dir),
                    workspace=str(workspace_root or tmp_path / "workspace"), model="test",
                    inputs={name: InputSpec(**item) for name, item in (inputs or {}).items()},
                    outputs={name: str(step_dir / "outputs" / name) for name in outputs})
    spec.write()
    run = LocalRun(spec)
    record_live_run(run.workspace, spec.run_id)
    return run


def make_current_run(tmp_path: Path, monkeypatch, **kwargs) -> LocalRun:
    """make_local_run's run, made the one get_run_context() returns in this test.

    A script's main() then gets it wherever it asks (the script or shared_code), as under
    the runner; spy on it or patch it with mocker. `kwargs` go to make_local_run.
    """
    run = make_local_run(tmp_path, **kwargs)
    monkeypatch.delenv(AZUREML_RUN_ENV_VAR, raising=False)
    monkeypatch.setenv(STEP_SPEC_ENV_VAR, str(run.step_dir / "spec.json"))
    current_runtime.cache_clear()
    return get_run_context()


def run_step_main(step_module: ModuleType):
    """Call a script step's main(context) as run_step does, with the current run (made by
    make_current_run) and the model folder the script is in."""
    return step_module.main(StepContext(current_runtime(), model_folder_of(step_module.main)))


def local_registry(run: LocalRun) -> LocalRegistry:
    """The registry of a LocalRun's workspace, as its runtime would give it."""
    return LocalRegistry(run.workspace.models)


def samples_dir(test_file: str) -> Path:
    """The testing_samples/ folder beside a test module (testing/<model>/testing_samples/)."""
    return Path(test_file).resolve().parent / SAMPLES_DIR_NAME


def load_samples(test_file: str, name: str) -> ModuleType:
    """The module testing_samples/<name>.py beside a test module, e.g. load_samples(__file__,
    "samples_requests"). Every model's tests have a testing_samples/ folder of their own, so
    it is loaded by its path, under a name of its own."""
    path = samples_dir(test_file) / f"{name}.py"
    spec = importlib.util.spec_from_file_location(
        f"{path.parent.parent.name}_{SAMPLES_DIR_NAME}_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NOTEBOOK_RUN_MARK = "=== the notebook, run on the workspace at "
# Runs the notebook's code once per workspace root in one process: a hundred models' notebooks
# import pandas and matplotlib once each, not once per workspace.
_NOTEBOOK_DRIVER = """
import os, sys
code, name = sys.stdin.read(), sys.argv[1]
for root in sys.argv[2:]:
    os.environ["AML_LOCAL_WORKSPACE"] = root
    print(%r + root, flush=True)
    exec(compile(code, name, "exec"), {"__name__": "__main__"})
""" % NOTEBOOK_RUN_MARK


def run_notebook(notebook: Path, *workspace_roots: Path) -> subprocess.CompletedProcess:
    """Run a notebook's code cells in order, headless, in a Python process started in the
    notebook's folder (as Jupyter starts its kernel), on each local workspace of
    `workspace_roots` in turn, each run in a namespace of its own; its output (each run's
    after a line of NOTEBOOK_RUN_MARK and its workspace) and exit status."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    code = "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-c", _NOTEBOOK_DRIVER, str(notebook),
                           *map(str, workspace_roots)], input=code, cwd=Path(notebook).parent,
                          env=env, capture_output=True, text=True, timeout=300, check=False)


def declared_script(model: str, step: str) -> str:
    """The script file a model's declare_steps() gives `step` (a rename is one edit)."""
    return next(declared.script_name for declared in load_pipeline(model)[1]
                if declared.name == step)


def import_line(model: str, script: str) -> int:
    """The line of `model`'s script step `script` that imports the model's own model.py."""
    lines = (REPO_ROOT / model / "script_steps" / script).read_text(encoding="utf-8")
    return next(number for number, line in enumerate(lines.splitlines(), 1)
                if line.startswith(f"from {model}.model import"))
