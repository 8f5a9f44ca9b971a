"""Azure ML SDK v2 with no workspace: a stand-in for MLClient's model registry, and an
emulation of a v2 command job that runs a model's real step scripts.

What stands in for the service, and nothing else:
- MLClient's `models` (list, download, create_or_update) keeps versions in a folder, laid
  out as MLClient downloads them (<download>/<name>/<registered folder>/...);
- the datastore is a folder: data assets are staged there as `datasets register --sdk v2`
  uploads them, and step outputs go under model-in-training/<step job>/<output>/;
- MLflow tracks to a local file store, where Azure ML's tracking server would be; the
  pipeline job's run carries the git tags that submission records.
Everything else is real: the compiled job's command and environment variables, the scripts
started in the code root with the job's arguments, mltable reading the staged MLTable, and
get_run_context(), champion and registration code down to the MLClient call.
"""
import dataclasses
import os
import re
import runpy
import shlex
import shutil
import sys
from pathlib import Path

from shared_code.aml_sdk_v2 import ml_client as ml_client_module
from shared_code.aml_sdk_v2.data_assets import stage_dataset
from shared_code.aml_sdk_v2.step_run import GIT_TAGS, MLFLOW_RUN_ID_VAR, PARENT_RUN_TAG
from shared_code.amltoolbox.local.dataset_preparation import local_dataset_path
from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import DatasetInput
from shared_code.amltoolbox.run_context import current_runtime

_PLACEHOLDER = re.compile(r"\$\{\{(inputs|outputs)\.(\w+)\}\}")
GIT_COMMIT_TAG_VALUE = "0123456789abcdef0123456789abcdef01234567"


class FolderModelOperations:
    """MLClient.models over a folder: versions 1, 2, ... with their properties and tags."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.registered = []

    def list(self, name: str):
        """Every version of `name` (MLClient yields them in no particular order)."""
        return [model for model in self.registered if model.name == name]

    def create_or_update(self, model):
        """Copy the model's folder in as the next version (MLClient uploads it)."""
        from azure.ai.ml.entities import Model
        version = str(len(self.list(model.name)) + 1)
        source = Path(model.path)
        shutil.copytree(source, self.root / model.name / version / source.name)
        stored = Model(name=model.name, version=version, path=str(self.root / model.name / version),
                       type=model.type, description=model.description, tags=dict(model.tags),
                       properties=dict(model.properties))
        self.registered.append(stored)
        return stored

    def download(self, name: str, version: str, download_path: str = ".") -> None:
        """<download_path>/<name>/<registered folder>/..., as MLClient lays a download out."""
        shutil.copytree(self.root / name / str(version), Path(download_path) / name,
                        dirs_exist_ok=True)


class FolderMLClient:
    """The part of MLClient the v2 steps use, over a folder."""

    def __init__(self, root: Path, workspace_name: str = "offline-workspace"):
        self.workspace_name = workspace_name
        self.models = FolderModelOperations(Path(root) / "models")


class CommandJobEmulator:
    """Runs a compiled v2 pipeline job's steps here, as Azure ML runs its command jobs."""

    def __init__(self, root: Path, monkeypatch, ml_client):
        from mlflow.tracking import MlflowClient
        self.root = Path(root)
        self.monkeypatch = monkeypatch
        monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")  # the local store stands in
        monkeypatch.setenv("MLFLOW_TRACKING_URI", (self.root / "mlruns").as_uri())
        self.mlflow = MlflowClient()
        self.experiment = self.mlflow.create_experiment("emulated")
        monkeypatch.setattr(ml_client_module, "job_ml_client", lambda environ=None: ml_client)

    def stage_datasets(self, config) -> dict[str, Path]:
        """Each of the model's datasets staged as its data asset version 1, outside the code."""
        staged = {}
        for usage, spec in config.datasets.items():
            local = dataclasses.replace(spec, path=str(local_dataset_path(config, usage)))
            folder = self.root / "datastore" / "assets" / spec.name / "1"
            if not folder.exists():
                stage_dataset(local, folder)
            staged[spec.name] = folder
        return staged

    def run_pipeline(self, config, steps, job) -> dict:
        """Run every step of `job` in order; {step: (exit status, run id, output folders)}."""
        datasets = self.stage_datasets(config)
        parent = self.mlflow.create_run(self.experiment, tags={
            GIT_TAGS[GIT_COMMIT]: GIT_COMMIT_TAG_VALUE, GIT_TAGS[GIT_DIRTY]: "False"}).info.run_id
        results = {}
        for step in steps:
            run_id = self.mlflow.create_run(self.experiment,
                                            tags={PARENT_RUN_TAG: parent}).info.run_id
            paths = {}
            for name, source in step.inputs.items():
                if isinstance(source, DatasetInput):
                    paths[("inputs", name)] = datasets[source.name]
                else:  # "download" mode: a copy of the earlier step's output folder
                    copy = self.root / "downloads" / run_id / name
                    shutil.copytree(results[source.step][2][source.output], copy)
                    paths[("inputs", name)] = copy
            outputs = {name: self.root / "datastore" / "model-in-training" / run_id / name
                       for name in step.outputs}
            paths.update({("outputs", name): path for name, path in outputs.items()})
            status = self.run_command(job.jobs[step.name], paths, run_id)
            results[step.name] = (status, run_id, outputs)
            if status != 0:
                break
        return results

    def run_command(self, node, paths: dict, run_id: str) -> int:
        """Run a command node's script in-process: its command line with the paths filled in,
        its environment variables, the code root as working directory; the exit status."""
        command = _PLACEHOLDER.sub(lambda m: shlex.quote(str(paths[(m[1], m[2])])), node.command)
        argv = shlex.split(command)
        assert argv[0] == "python", command
        for name, value in {**node.environment_variables, MLFLOW_RUN_ID_VAR: run_id}.items():
            self.monkeypatch.setenv(name, value)
        self.monkeypatch.chdir(REPO_ROOT)
        self.monkeypatch.setattr(sys, "argv", argv[1:])
        current_runtime.cache_clear()
        try:
            runpy.run_path(os.path.join(REPO_ROOT, argv[1]), run_name="__main__")
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else 1
        finally:
            current_runtime.cache_clear()
        return 0

    def metrics(self, run_id: str) -> dict:
        """The metrics a step logged."""
        return dict(self.mlflow.get_run(run_id).data.metrics)

    def tags(self, run_id: str) -> dict:
        """The tags a step set."""
        return dict(self.mlflow.get_run(run_id).data.tags)

    def artifacts(self, run_id: str, folder: str) -> list[str]:
        """The artifact paths a step logged under `folder`."""
        return [item.path for item in self.mlflow.list_artifacts(run_id, folder)]
