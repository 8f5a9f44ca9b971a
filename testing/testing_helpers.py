"""Helpers the tests share: temporary workspaces, pipelines run for real, fake step runs."""
import json
from pathlib import Path

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.local_runner import LocalPipelineRunner, PipelineResult, load_pipeline
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.run_context import LocalRun

SAMPLES_DIR = Path(__file__).resolve().parent / "testing_samples"


def run_model_pipeline(model: str, workspace_root: Path, reuse: bool = True,
                       lines: list | None = None) -> PipelineResult:
    """Run a model folder's real pipeline in the workspace at `workspace_root`."""
    config, steps = load_pipeline(model)
    workspace = LocalWorkspace(workspace_root)
    try:
        report = lines.append if lines is not None else (lambda line: None)
        return LocalPipelineRunner(config, steps, workspace, reuse=reuse, report=report).run()
    finally:
        workspace.close()


def make_local_run(tmp_path: Path, inputs: dict | None = None, outputs: tuple = (),
                   step: str = "step", workspace_root: Path | None = None) -> LocalRun:
    """A LocalRun as the runner would give a step, for calling a script's main() in-process.

    `inputs` maps input names to spec items, e.g. {"model": {"type": "output", "path": ...}}
    or {"train_data": {"type": "tabular", "name": ..., "version": 1, "path": ...}}.
    """
    step_dir = tmp_path / "run" / step
    spec = {"run_id": "test_run", "step": step, "step_dir": str(step_dir),
            "workspace": str(workspace_root or tmp_path / "workspace"), "model": "test",
            "inputs": inputs or {},
            "outputs": {name: str(step_dir / "outputs" / name) for name in outputs},
            "arguments": [], "properties": {}}
    step_dir.mkdir(parents=True, exist_ok=True)
    (step_dir / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    return LocalRun(spec)


def sample(name: str) -> Path:
    """A file kept under testing/testing_samples/."""
    return SAMPLES_DIR / name


def repo_path(*parts: str) -> Path:
    """A path inside the repository."""
    return REPO_ROOT.joinpath(*parts)
