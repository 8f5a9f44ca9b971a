"""One step's job: its folders on the compute node, its inputs delivered, its process run.

Azure ML's runtime lays a job out on the node as <job>/exe/wd (the snapshot, the working
directory) beside <job>/cap/data-capability/wd (the data runtime's mounts and downloads,
an input's named INPUT_<name>: azureml/data/context_managers.py:161); so does this, so
every data folder is outside the working directory.
"""
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from azureml.pipeline.core._annotated_arguments import (_InputArgument, _OutputArgument,
                                                        _ParameterArgument, _StringArgument)

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.records import COMPLETED, FAILED, Status, StepResult
from .dataset_service import FILE, save_dataset
from .identity import ARTIFACT_CONTAINER, DATASTORE_CONTAINER
from .job_environment import dataset_variables, job_environment, run_scope
from .job_in_process import run_job_here
from .pipeline_steps import JobInput, JobStep, ProducedSource, run_definition
from .run_history import STEP_RUN_TYPE, end_run, new_run
from .snapshot import copy_snapshot
from .store import BLOBS, DATASETS, JOBS, RUNS, EmulatedStore

LAUNCHER = Path(__file__).resolve().parent / "job_launcher.py"
RUN_ARTIFACTS_ORIGIN = "ExperimentRun"
RUN_DEFINITION = "run_definition"  # a step run's record of its job (pipeline_steps.py)


@dataclass(frozen=True)
class JobFolders:
    """Where a job's files are: on its compute node, and its log among its run's artifacts."""
    root: Path
    log: Path

    @property
    def working_directory(self) -> Path:
        """The snapshot copy the script starts in."""
        return self.root / "exe" / "wd"

    @property
    def data(self) -> Path:
        """The data runtime's folder, beside (not inside) the working directory."""
        return self.root / "cap" / "data-capability" / "wd"

    def release(self) -> None:
        """Free the compute node's disk once the job ends, as Azure ML does: by then the
        outputs are on the datastore and the log among the run's artifacts."""
        shutil.rmtree(self.root, ignore_errors=True)


def run_log(store: EmulatedStore, run_id: str) -> Path:
    """The script's output (stdout and stderr), where Azure ML keeps it: among the run's
    artifacts, which run.get_details() lists (azureml/core/run.py:939-945, 1267)."""
    return store.path(BLOBS, ARTIFACT_CONTAINER, RUN_ARTIFACTS_ORIGIN, f"dcid.{run_id}",
                      "user_logs", "std_log.txt")


def _copy_files(source: Path, target: Path) -> None:
    """Deliver a dataset's files into `target` (a mount or a download of them)."""
    if source.is_file():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / source.name)
    else:
        shutil.copytree(source, target, dirs_exist_ok=True)


def _datastore_folder(store: EmulatedStore, destination: str, run_id: str, name: str) -> Path:
    path = destination.replace("{run-id}", run_id).replace("{output-name}", name).strip("/")
    return store.path(BLOBS, DATASTORE_CONTAINER, path)


class StepJob:
    """Runs one JobStep of a pipeline run in the emulated workspace."""

    def __init__(self, store: EmulatedStore, step: JobStep, experiment: dict, pipeline_run_id: str,
                 properties: dict):
        self.store, self.step, self.experiment = store, step, experiment
        self.run_id = str(uuid.uuid4())
        self.folders = JobFolders(store.path(JOBS, self.run_id), run_log(store, self.run_id))
        new_run(store, self.run_id, experiment, step.name, STEP_RUN_TYPE, pipeline_run_id,
                properties)

        def record_definition(run):
            run[RUN_DEFINITION] = run_definition(step)
        store.update(RUNS, self.run_id, record_definition)

    def _saved_dataset_of(self, job_input: JobInput, produced: dict) -> dict:
        source = job_input.source
        saved_id = (produced[(source.step, source.output)]
                    if isinstance(source, ProducedSource) else source.saved_id)
        return self.store.read(DATASETS, saved_id)

    def _deliver_inputs(self, produced: dict) -> dict[str, tuple[str, str]]:
        """Each input as the job receives it; the run records the datasets it read."""
        delivered, lineage = {}, []
        for job_input in self.step.inputs:
            dataset = self._saved_dataset_of(job_input, produced)
            if job_input.mode == "direct":
                value = dataset["saved_id"]
            else:
                target = self.folders.data / f"INPUT_{job_input.name}"
                _copy_files(Path(dataset["path"]), target)
                value = str(target)
            delivered[job_input.name] = (job_input.mode, value)
            lineage.append({"saved_id": dataset["saved_id"],
                            "registered_id": dataset["registered_id"],
                            "registered_version": (str(dataset["version"])
                                                   if dataset["version"] is not None else None),
                            "input_name": job_input.name, "mode": job_input.mode,
                            "path_on_compute": None if job_input.mode == "direct" else value})

        def record(run):
            run["input_datasets"] = lineage
        self.store.update(RUNS, self.run_id, record)
        return delivered

    def _output_folders(self) -> dict[str, str]:
        folders = {}
        for output in self.step.outputs:
            folder = self.folders.data / output.name
            folder.mkdir(parents=True, exist_ok=True)
            folders[output.name] = str(folder)
        return folders

    def _save_outputs(self, folders: dict[str, str], produced: dict) -> None:
        """Copy each output to its datastore path and save it as a dataset without a name."""
        saved = []
        for output in self.step.outputs:
            target = _datastore_folder(self.store, output.destination, self.run_id, output.name)
            shutil.copytree(folders[output.name], target, dirs_exist_ok=True)
            record = save_dataset(self.store, FILE, str(target))
            produced[(self.step.name, output.name)] = record["saved_id"]
            # Its content's hash: a replay checks that the output it reads is unchanged.
            saved.append({"saved_id": record["saved_id"], "output_name": output.name,
                          "sha256": tree_sha256(target)})

        def record_outputs(run):
            run["output_datasets"] = saved
        self.store.update(RUNS, self.run_id, record_outputs)

    def _arguments(self, delivered: dict, outputs: dict) -> list[str]:
        """The step's structured arguments, resolved as the backend resolves them."""
        resolved = []
        for argument in self.step.arguments:
            if isinstance(argument, _StringArgument):
                resolved.append(str(argument.text))
            elif isinstance(argument, _InputArgument):
                resolved.append(delivered[argument.name][1])
            elif isinstance(argument, _OutputArgument):
                resolved.append(outputs[argument.name])
            elif isinstance(argument, _ParameterArgument):
                raise ValueError(f"step '{self.step.name}': pipeline parameters "
                                 f"({argument.name}) are not emulated")
        return resolved

    def run(self, produced: dict, here: bool = False) -> StepResult:
        """Lay out the job, run its script to the end, record how it went; `here`: in this
        process (a replay's --debug), its output on this terminal."""
        started = time.perf_counter()
        copy_snapshot(Path(self.step.source_directory), self.folders.working_directory)
        delivered = self._deliver_inputs(produced)
        outputs = self._output_folders()
        environment = job_environment(
            self.step.environment_variables,
            run_scope(self.experiment["name"], self.experiment["id"], self.run_id),
            dataset_variables(delivered, outputs))
        command = [sys.executable, str(LAUNCHER), str(self.store.root), self.step.script,
                   *self._arguments(delivered, outputs)]
        try:
            return_code = (run_job_here(self.store.root, self.folders.working_directory,
                                        command[3:], environment, self.folders.log)
                           if here else self._execute(command, environment))
            if return_code == 0:
                self._save_outputs(outputs, produced)
        except BaseException:
            end_run(self.store, self.run_id, FAILED)  # cancelled with the runner
            raise
        finally:
            self.folders.release()
        record = end_run(self.store, self.run_id, COMPLETED if return_code == 0 else FAILED)
        return StepResult(self.step.name, Status(record["status"]), time.perf_counter() - started,
                          error=None if return_code == 0 else self._error(record, return_code),
                          metrics=latest_metrics(record), images=logged_images(record),
                          tags=dict(record["tags"]), run_id=self.run_id, log=self.folders.log)

    def _execute(self, command: list[str], environment: dict) -> int:
        self.folders.log.parent.mkdir(parents=True, exist_ok=True)
        with (open(self.folders.log, "wb") as log,
              subprocess.Popen(command, cwd=self.folders.working_directory, env=environment,
                               stdout=log, stderr=subprocess.STDOUT) as process):
            try:
                return process.wait()
            except BaseException:
                process.kill()  # Ctrl-C, or a runner that fails, cancels the job too
                process.wait()
                raise

    def _error(self, record: dict, return_code: int) -> str:
        """What run.fail() recorded, else the last line the script printed."""
        if record.get("error"):
            return record["error"]
        text = self.folders.log.read_text(encoding="utf-8", errors="replace").strip()
        lines = text.splitlines()
        return lines[-1] if lines else f"the script exited with code {return_code}"


IMAGE_METRIC_SUFFIX = ".image"


def latest_metrics(record: dict) -> dict:
    """{name: value} of a run's metrics (not its images), the last value logged under each."""
    return {metric["name"]: metric["value"] for metric in record["metrics"]
            if not (metric.get("type") or "").endswith(IMAGE_METRIC_SUFFIX)}


def logged_images(record: dict) -> dict:
    """{name: artifact} of the images a run logged."""
    return {metric["name"]: metric["value"] for metric in record["metrics"]
            if (metric.get("type") or "").endswith(IMAGE_METRIC_SUFFIX)}
