"""The run a script step talks to under the local runner, with the surface the standard uses
(input_datasets, output_datasets, log, log_image, tag), recorded in the local workspace;
nothing here imports azureml."""
import functools
from pathlib import Path
from types import SimpleNamespace

from .step_spec import TABULAR, InputSpec, StepSpec

ERROR_FILE = "error.txt"


class LocalTabularDataset:
    """A registered Tabular dataset: CSV files read into one DataFrame on request."""

    def __init__(self, name: str, version: int, path: Path):
        self.name, self.version, self.path = name, version, Path(path)

    def to_pandas_dataframe(self):
        """All the dataset's CSV files as one DataFrame, as AML's TabularDataset gives."""
        from ..csv_reading import csv_files_in, read_csv_files  # pylint: disable=import-outside-toplevel
        label = f"dataset '{self.name}' version {self.version}"
        return read_csv_files(csv_files_in(self.path, label), label)


class LocalRun:
    """One step of a local pipeline run, described by the spec the runner wrote."""

    def __init__(self, spec: StepSpec, workspace=None):
        self.spec = spec
        self._workspace = workspace
        self.id = f"{spec.run_id}.{spec.step}"
        self.parent = SimpleNamespace(id=spec.run_id)
        self.step_name = spec.step
        self.step_dir = Path(spec.step_dir)
        self.input_datasets = {name: _input(item) for name, item in spec.inputs.items()}
        self.output_datasets = {}
        for name, path in spec.outputs.items():
            Path(path).mkdir(parents=True, exist_ok=True)
            self.output_datasets[name] = path

    @property
    def workspace(self):
        """The local workspace (a LocalWorkspace), opened when first needed: a step that
        records nothing neither imports sqlite3 nor opens the database."""
        if self._workspace is None:
            from .workspace import LocalWorkspace  # pylint: disable=import-outside-toplevel
            self._workspace = LocalWorkspace(Path(self.spec.workspace))
        return self._workspace

    def log(self, name: str, value, description: str = "") -> None:  # pylint: disable=unused-argument
        """Record a metric, as Run.log does."""
        self.workspace.runs.log_metric(self.spec.run_id, self.step_name, name, value)

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
        self.workspace.runs.log_image(self.spec.run_id, self.step_name, name, target)

    def tag(self, key: str, value=None) -> None:
        """Set a tag on this step's run."""
        self.workspace.runs.tag(self.spec.run_id, self.step_name, key, value)

    def get_properties(self) -> dict:
        """The run's properties (the git commit among them, as AML records it)."""
        return dict(self.spec.properties)

    def get_details(self) -> dict:
        """The registered input datasets' names and versions, in the shape AML's get_details
        gives."""
        return {"runId": self.id, "inputDatasets": [
            {"dataset": SimpleNamespace(name=item.name, version=item.version),
             "consumptionDetails": {"inputName": name}}
            for name, item in self.spec.inputs.items() if item.registered]}

    def fail(self, error_details: str) -> None:
        """Leave the error where the runner reads it."""
        self.step_dir.mkdir(parents=True, exist_ok=True)
        (self.step_dir / ERROR_FILE).write_text(str(error_details), encoding="utf-8")


def _input(item: InputSpec):
    if item.type == TABULAR:
        return LocalTabularDataset(item.name, item.version, Path(item.path))
    return item.path  # File datasets and earlier steps' outputs arrive as folders


class LocalRuntime:
    """A step under the local runner: its LocalRun and the local workspace's registry."""

    def __init__(self, spec: StepSpec):
        self.run = LocalRun(spec)

    @functools.cached_property
    def registry(self):
        """The registry of the run's local workspace (a LocalRegistry): imported here, as
        only the steps that register need it."""
        from .pinned_champion import PINNED_CHAMPION, PinnedChampionRegistry  # pylint: disable=import-outside-toplevel
        from .registry import LocalRegistry  # pylint: disable=import-outside-toplevel
        registry = LocalRegistry(self.run.workspace.models)
        pinned = self.run.spec.properties.get(PINNED_CHAMPION)
        if pinned:  # a replayed step compares with the champion it had (replay.py)
            return PinnedChampionRegistry(registry, self.run.workspace.models, pinned)
        return registry
