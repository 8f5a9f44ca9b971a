"""The run a script step talks to inside an Azure ML SDK v2 command job.

It offers the surface get_run_context() gives locally and in SDK v1, built from what a v2
job hands a step: input and output paths on the command line (read with step_io), MLflow
for metrics, images and tags (Azure ML sets MLFLOW_TRACKING_URI and MLFLOW_RUN_ID in every
job), and mltable for Tabular inputs. mltable is chosen over reading the files here: it is
what an mltable input is, it applies the MLTable file's reading rules (delimiter, headers,
globs) exactly as Azure ML does, and it is already in the job through azureml-dataprep.

Nothing here imports azureml's SDK v1; mlflow and mltable are imported when first used.
"""
import functools
import os
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Mapping, Sequence

from shared_code.amltoolbox.csv_reading import DatasetReadError
from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY
from .step_io import MLTABLE, STEP_ENV_VAR, InputSpec, StepIO, StepIOError

MLFLOW_RUN_ID_VAR = "MLFLOW_RUN_ID"
# A v2 job's MLflow run is the job itself: the same id (its name) as AZUREML_RUN_ID.
AZUREML_RUN_ID_VAR = "AZUREML_RUN_ID"
PARENT_RUN_TAG = "mlflow.parentRunId"
# The job properties azure-ai-ml sets from git at submission
# (azure/ai/ml/constants/_common.py:461 and 466), which Azure ML shows as MLflow tags.
GIT_TAGS = {GIT_COMMIT: "mlflow.source.git.commit", GIT_DIRTY: "azureml.git.dirty"}
ERROR_TAG = "error"


class V2TabularDataset:
    """A Tabular dataset delivered as an mltable folder: read into a DataFrame on request."""

    def __init__(self, name: str, version: str, path: str | Path):
        self.name, self.version, self.path = name, version, Path(path)

    def to_pandas_dataframe(self):
        """The table, as the MLTable file in the folder describes it."""
        import mltable
        label = f"dataset '{self.name}' version {self.version}"
        try:
            return mltable.load(str(self.path)).to_pandas_dataframe()
        except Exception as error:  # mltable's errors have no common base; say which dataset
            raise DatasetReadError(f"{label} could not be read as a table from {self.path} "
                                   f"({type(error).__name__}: {error}). Fix the source data "
                                   "and register the dataset again.") from error


class V2Run:
    """One step of a v2 pipeline job."""

    def __init__(self, io: StepIO, input_paths: Mapping[str, str],
                 output_paths: Mapping[str, str], run_id: str):
        self.io = io
        self.id = run_id
        self.step_name = io.step
        self.input_datasets = {name: self._input(io.inputs[name], path)
                               for name, path in input_paths.items()}
        self.output_datasets = {}
        for name, path in output_paths.items():
            Path(path).mkdir(parents=True, exist_ok=True)
            self.output_datasets[name] = path

    @classmethod
    def from_job(cls, environ: Mapping[str, str] | None = None,
                 argv: Sequence[str] | None = None) -> "V2Run":
        """The run of the job this process is: its step description, arguments and run id."""
        environ = os.environ if environ is None else environ
        io = StepIO.from_json(environ[STEP_ENV_VAR])
        run_id = environ.get(MLFLOW_RUN_ID_VAR) or environ.get(AZUREML_RUN_ID_VAR)
        if not run_id:
            raise StepIOError(f"neither {MLFLOW_RUN_ID_VAR} nor {AZUREML_RUN_ID_VAR} is set: "
                              f"Azure ML sets them in a job; ${STEP_ENV_VAR} belongs to a job")
        inputs, outputs = io.parse_paths(sys.argv[1:] if argv is None else argv)
        return cls(io, inputs, outputs, run_id)

    @staticmethod
    def _input(spec: InputSpec, path: str):
        if spec.type == MLTABLE:
            return V2TabularDataset(spec.dataset, spec.version, path)
        return path  # File datasets and earlier steps' outputs arrive as folders

    @functools.cached_property
    def _mlflow(self):
        from mlflow.tracking import MlflowClient
        return MlflowClient()

    @functools.cached_property
    def _tags(self) -> dict:
        return dict(self._mlflow.get_run(self.id).data.tags)

    @property
    def parent(self):
        """The pipeline job this step belongs to, or None outside a pipeline."""
        parent_id = self._tags.get(PARENT_RUN_TAG)
        return SimpleNamespace(id=parent_id) if parent_id else None

    def log(self, name: str, value, description: str = "") -> None:  # pylint: disable=unused-argument
        """Record a metric; a value that is not a number is kept as a tag, as MLflow's metrics
        are numbers only."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self._mlflow.log_metric(self.id, name, float(value))
        else:
            self.tag(name, value)

    def log_image(self, name: str, path: str | None = None, plot=None,
                  description: str = "") -> None:  # pylint: disable=unused-argument
        """Record an image under images/: a file, or a matplotlib figure or pyplot as PNG."""
        with tempfile.TemporaryDirectory(prefix="image-") as folder:
            if plot is not None:
                target = Path(folder) / f"{name}.png"
                plot.savefig(target, dpi=100, bbox_inches="tight")
            elif path is not None:  # named after the image, so two files called plot.png differ
                target = Path(folder) / f"{name}{Path(path).suffix}"
                target.write_bytes(Path(path).read_bytes())
            else:
                raise ValueError("log_image needs a path or a plot")
            self._mlflow.log_artifact(self.id, str(target), artifact_path="images")

    def tag(self, key: str, value=None) -> None:
        """Set a tag on this step's run."""
        self._mlflow.set_tag(self.id, key, "" if value is None else str(value))

    def get_properties(self) -> dict:
        """The git commit the job's code came from, as SDK v1's run properties name it."""
        tags = dict(self._tags)
        if self.parent is not None and not any(tag in tags for tag in GIT_TAGS.values()):
            tags = dict(self._mlflow.get_run(self.parent.id).data.tags)
        return {key: tags[tag] for key, tag in GIT_TAGS.items() if tag in tags}

    def get_details(self) -> dict:
        """The registered datasets' names and versions, in the shape SDK v1's get_details gives."""
        return {"runId": self.id, "inputDatasets": [
            {"dataset": SimpleNamespace(name=spec.dataset, version=spec.version),
             "consumptionDetails": {"inputName": name}}
            for name, spec in self.io.inputs.items() if spec.dataset]}

    def fail(self, error_details: str) -> None:
        """Leave the error on the run, where the studio shows the job's tags."""
        self.tag(ERROR_TAG, error_details)
