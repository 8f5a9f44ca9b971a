"""Run a model's pipeline under the emulator: build the real Pipeline, run its steps' jobs.

The runner plays Azure ML's pipeline and execution services: it starts the pipeline run,
then each step's job in order, and stops at the first failed step.
"""
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from azureml._base_sdk_common.tracking import global_tracking_info_registry

from ...dataset_preparation import ensure_datasets
from ...local.workspace import LocalWorkspace
from ...model_config import ModelConfig, check_unique_names
from ...pipeline import Step
from ..pipeline_builder import build_pipeline
from .http_transport import serve
from .job import COMPLETED, FAILED, JobResult, StepJob
from .pipeline_steps import job_steps
from .registered_datasets import register_pipeline_datasets
from .run_history import PIPELINE_RUN_TYPE, end_run, new_run
from .service_standins import ROUTES
from .store import EmulatedStore
from .workspace import emulated_workspace, experiment_id
from .workspace_service import add_compute


@dataclass
class EmulatedPipelineResult:
    """How the pipeline run went, and where the emulated workspace keeps it."""
    run_id: str
    status: str
    store: EmulatedStore
    steps: list[JobResult] = field(default_factory=list)
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        """True when every step completed."""
        return self.status == COMPLETED


class EmulatedPipelineRunner:
    """Runs one model's pipeline in an emulated Azure ML workspace kept in `store_root`."""

    def __init__(self, config: ModelConfig, steps: Sequence[Step], local_workspace: LocalWorkspace,
                 store_root: Path, report: Callable[[str], None] | None = None):
        self.config, self.steps, self.local_workspace = config, list(steps), local_workspace
        self.store = EmulatedStore(store_root)
        self.report = report or (lambda line: print(line, flush=True))

    def _experiment(self) -> dict:
        name = self.config.experiment_name
        return {"name": name, "id": experiment_id(name)}

    def run(self) -> EmulatedPipelineResult:
        """Prepare the datasets, build the pipeline, run each step's job; stop at a failure."""
        check_unique_names(self.config)
        ensure_datasets(self.config, self.steps, self.local_workspace, self.report)
        register_pipeline_datasets(self.store, self.steps, self.local_workspace)
        add_compute(self.store, self.config.compute_target)
        experiment, run_id = self._experiment(), str(uuid.uuid4())
        with serve(self.store, ROUTES):
            workspace = emulated_workspace()
            jobs = job_steps(build_pipeline(workspace, self.config, self.steps))
        # The SDK records the code's git state on the pipeline and on its steps' modules.
        properties = global_tracking_info_registry.gather_all(jobs[0].source_directory)
        new_run(self.store, run_id, experiment, self.config.experiment_name, PIPELINE_RUN_TYPE,
                properties=properties)
        self.report(f"run {run_id}: {self.config.folder.name} "
                    f"({' -> '.join(job.name for job in jobs)}) under the Azure ML emulator, "
                    f"workspace {self.store.root}")
        result = EmulatedPipelineResult(run_id, COMPLETED, self.store)
        produced: dict[tuple[str, str], str] = {}
        try:
            for index, step in enumerate(jobs, start=1):
                label = f"[{index}/{len(jobs)}] {step.name}"
                self.report(f"{label}: started ({Path(step.script).name})")
                job_result = StepJob(self.store, step, experiment, run_id, properties).run(produced)
                result.steps.append(job_result)
                if job_result.status == FAILED:
                    self.report(f"{label}: FAILED after {job_result.duration:.2f}s\n"
                                f"    {job_result.error}\n    log: {job_result.log}")
                    result.status = FAILED
                    result.error = f"step '{step.name}' failed: {job_result.error}"
                    break
                self.report(f"{label}: completed in {job_result.duration:.2f}s")
        except BaseException:
            end_run(self.store, run_id, FAILED)  # interrupted: the job was cancelled with it
            raise
        end_run(self.store, run_id, result.status)
        return result
