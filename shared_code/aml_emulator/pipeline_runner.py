"""Run a model's pipeline under the emulator: build the real Pipeline, run its steps' jobs.

The runner plays Azure ML's pipeline and execution services: it starts the pipeline run,
then each step's job in order, and stops at the first failed step.
"""
import uuid
from pathlib import Path
from typing import Sequence

from shared_code.amltoolbox.csv_reading import DatasetReadError
from shared_code.amltoolbox.git_info import model_code_paths
from shared_code.amltoolbox.local.dataset_preparation import ensure_datasets
from shared_code.amltoolbox.local.datasets import DatasetNotFoundError
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import ModelConfig, check_model_folder
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import Step
from shared_code.amltoolbox.progress import Report, print_line
from shared_code.aml_sdk_v1.git_state import git_state
from shared_code.aml_sdk_v1.pipeline_builder import build_pipeline
from shared_code.aml_sdk_v1.reuse_prediction import predicted_parts
from shared_code.aml_sdk_v1.submission_records import EMULATED, SubmissionRecords
from shared_code.amltoolbox.records import COMPLETED, FAILED, RunResult
from .http_transport import serve
from .job import StepJob
from .pipeline_steps import JobStep, job_steps
from .registered_datasets import register_pipeline_datasets
from .run_history import PIPELINE_RUN_TYPE, end_run, new_run
from .service_standins import ROUTES
from .store import EmulatedStore
from .workspace import emulated_workspace, experiment_id
from .workspace_service import add_compute


class EmulatedPipelineRunner:
    """Runs one model's pipeline in an emulated Azure ML workspace kept in `store_root`."""

    def __init__(self, config: ModelConfig, steps: Sequence[Step], experiment_name: str,  # pylint: disable=too-many-arguments
                 local_workspace: LocalWorkspace, store_root: Path,
                 report: Report = print_line, build=None):
        self.config, self.steps, self.local_workspace = config, list(steps), local_workspace
        # What builds the Pipeline in the workspace: the steps' by default (the batch
        # scoring pipeline's, for `--batch --emulate-azureml`).
        self.build = build or (lambda workspace: build_pipeline(workspace, config, self.steps))
        self.experiment_name = experiment_name
        self.store = EmulatedStore(store_root)
        self.report = report
        self.step_keys: dict = {}

    def _experiment(self) -> dict:
        return {"name": self.experiment_name, "id": experiment_id(self.experiment_name)}

    def run(self) -> RunResult:
        """Prepare the datasets, build the pipeline, run each step's job; stop at a failure.

        The run is on record before its datasets are looked up, so a missing or refused
        dataset fails the run, as under the local runner.
        """
        check_model_folder(self.config)
        experiment, run_id = self._experiment(), str(uuid.uuid4())
        # The SDK sends the code's git state with each step's module and snapshot
        # (azureml/pipeline/core/_aeva_provider.py:313, azureml/_restclient/
        # snapshots_client.py:113), dirty that of the model's code as our submission passes it
        # (aml_sdk_v1/git_state.py); here it is a property of the pipeline run and its steps.
        properties = git_state(REPO_ROOT, model_code_paths(self.config.folder, REPO_ROOT))
        new_run(self.store, run_id, experiment, self.experiment_name, PIPELINE_RUN_TYPE,
                properties=properties)
        result = RunResult(run_id, COMPLETED)
        try:
            jobs = self._prepare()
        except (DatasetNotFoundError, DatasetReadError) as error:
            result.status, result.error = FAILED, str(error)
            end_run(self.store, run_id, FAILED)
            return result
        except BaseException:
            end_run(self.store, run_id, FAILED)
            raise
        self.report(f"run {run_id}: {self.config.folder.name} "
                    f"({' -> '.join(job.name for job in jobs)}) under the Azure ML emulator, "
                    f"workspace {self.store.root}")
        self._run_jobs(jobs, experiment, result, properties)
        SubmissionRecords(self.local_workspace.store).record(self.experiment_name, run_id,
                                                             EMULATED, self.step_keys)
        return result

    def _prepare(self) -> list[JobStep]:
        """Register the datasets, give the workspace its compute targets (the model's and any
        step's own), build the pipeline."""
        ensure_datasets(self.config, self.steps, self.local_workspace, self.report)
        register_pipeline_datasets(self.store, self.steps, self.local_workspace)
        for target in dict.fromkeys([self.config.compute_target,
                                     *filter(None, (s.compute_target for s in self.steps))]):
            add_compute(self.store, target)
        with serve(self.store, ROUTES):
            pipeline = self.build(emulated_workspace())
        self.step_keys = predicted_parts(pipeline)  # what Azure ML would fingerprint
        return job_steps(pipeline)

    def _run_jobs(self, jobs: list[JobStep], experiment: dict, result: RunResult,
                  properties: dict) -> None:
        produced: dict[tuple[str, str], str] = {}
        try:
            for index, step in enumerate(jobs, start=1):
                label = f"[{index}/{len(jobs)}] {step.name}"
                self.report(f"{label}: started ({Path(step.script).name})")
                job = StepJob(self.store, step, experiment, result.run_id, properties)
                job_result = job.run(produced)
                result.steps.append(job_result)
                if job_result.status == FAILED:
                    self.report(f"{label}: FAILED after {job_result.duration:.2f}s\n"
                                f"    {job_result.error}\n    log: {job_result.log}")
                    result.status = FAILED
                    result.error = f"step '{step.name}' failed: {job_result.error}"
                    break
                self.report(f"{label}: completed in {job_result.duration:.2f}s")
        except BaseException:
            end_run(self.store, result.run_id, FAILED)  # interrupted: the job is cancelled too
            raise
        end_run(self.store, result.run_id, result.status)
