"""The run a script step talks to: Azure ML's Run inside Azure ML, a LocalRun here.

Both offer the small surface the standard uses:

    run = get_run_context()
    train = run.input_datasets["train_data"].to_pandas_dataframe()
    model_dir = run.output_datasets["model"]
    run.log("rmse", rmse)

The local path imports nothing from azureml, which would cost about a second per step.
"""
import functools
import json
import os
from pathlib import Path
from types import SimpleNamespace

from .csv_reading import csv_files_in, read_csv_files
from .local.workspace import LocalWorkspace
from .errors import UserError

STEP_SPEC_ENV_VAR = "AML_LOCAL_STEP_SPEC"
AZUREML_RUN_ENV_VAR = "AZUREML_RUN_ID"
ERROR_FILE = "error.txt"


class RunContextError(UserError):
    """A script step was started outside both the local runner and Azure ML."""


class LocalTabularDataset:
    """A registered Tabular dataset: CSV files read into one DataFrame on request."""

    def __init__(self, name: str, version: int, path: Path):
        self.name, self.version, self.path = name, version, Path(path)

    def to_pandas_dataframe(self):
        """All the dataset's CSV files as one DataFrame, as AML's TabularDataset gives."""
        label = f"dataset '{self.name}' version {self.version}"
        return read_csv_files(csv_files_in(self.path, label), label)


class LocalRun:
    """One step of a local pipeline run, described by the spec file the runner wrote."""

    def __init__(self, spec: dict, workspace: LocalWorkspace | None = None):
        self._spec = spec
        self.workspace = workspace or LocalWorkspace(Path(spec["workspace"]))
        self.id = f"{spec['run_id']}.{spec['step']}"
        self.parent = SimpleNamespace(id=spec["run_id"])
        self.step_name = spec["step"]
        self.step_dir = Path(spec["step_dir"])
        self.input_datasets = {name: self._input(item) for name, item in spec["inputs"].items()}
        self.output_datasets = {}
        for name, path in spec["outputs"].items():
            Path(path).mkdir(parents=True, exist_ok=True)
            self.output_datasets[name] = path

    @classmethod
    def from_spec_file(cls, path: Path) -> "LocalRun":
        """The run described by a spec file."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    @staticmethod
    def _input(item: dict):
        if item.get("type") == "tabular":
            return LocalTabularDataset(item["name"], item["version"], Path(item["path"]))
        return item["path"]  # File datasets and earlier steps' outputs arrive as folders

    def log(self, name: str, value, description: str = "") -> None:  # pylint: disable=unused-argument
        """Record a metric, as Run.log does."""
        self.workspace.runs.log_metric(self._spec["run_id"], self.step_name, name, value)

    def log_image(self, name: str, path: str | None = None, plot=None,
                  description: str = "") -> None:  # pylint: disable=unused-argument
        """Record an image: a file, or a matplotlib figure or pyplot saved as PNG."""
        images = self.step_dir / "images"
        images.mkdir(parents=True, exist_ok=True)
        target = images / f"{name}.png"
        if plot is not None:
            plot.savefig(target, dpi=100, bbox_inches="tight")
        elif path is not None:  # named after the image, so two files called plot.png differ
            target = images / f"{name}{Path(path).suffix}"
            target.write_bytes(Path(path).read_bytes())
        else:
            raise ValueError("log_image needs a path or a plot")
        self.workspace.runs.log_image(self._spec["run_id"], self.step_name, name, target)

    def tag(self, key: str, value=None) -> None:
        """Set a tag on this step's run."""
        self.workspace.runs.tag(self._spec["run_id"], self.step_name, key, value)

    def get_properties(self) -> dict:
        """The run's properties (the git commit among them, as AML records it)."""
        return dict(self._spec.get("properties", {}))

    def get_details(self) -> dict:
        """The input datasets' names and versions, in the shape AML's get_details gives."""
        return {"runId": self.id, "inputDatasets": [
            {"dataset": SimpleNamespace(name=item["name"], version=item["version"]),
             "consumptionDetails": {"inputName": name}}
            for name, item in self._spec["inputs"].items() if "version" in item]}

    def fail(self, error_details: str) -> None:
        """Leave the error where the runner reads it."""
        self.step_dir.mkdir(parents=True, exist_ok=True)
        (self.step_dir / ERROR_FILE).write_text(str(error_details), encoding="utf-8")


def is_local(run) -> bool:
    """Whether `run` is a local run (otherwise it is Azure ML's)."""
    return isinstance(run, LocalRun)


@functools.cache
def get_run_context():
    """The current run: Azure ML's inside Azure ML, the local runner's here."""
    if os.environ.get(AZUREML_RUN_ENV_VAR):
        from azureml.core import Run
        return Run.get_context()
    spec = os.environ.get(STEP_SPEC_ENV_VAR)
    if spec:
        return LocalRun.from_spec_file(Path(spec))
    raise RunContextError(
        "this script is a pipeline step and needs a run to read its inputs from: run the "
        "model's pipeline with `tox -e pipeline -- MODEL` (or `python -m shared_code.amltoolbox "
        "run MODEL`), or submit it to Azure ML")
