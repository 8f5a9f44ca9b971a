"""`python -m MODEL.aml_pipeline --drift --emulate-azureml`: the drift pipeline under the Azure
ML emulator (shared_code/aml_emulator), against the emulated workspace's registry.

The model version and its training dataset are those an emulated run of the model's pipeline
registered (`--emulate-azureml` first); the new data is registered in the emulated workspace
as the local workspace has it. The real Pipeline is built (drift_pipeline.py) and its step
runs as a job; then what Azure ML recorded is printed. The exit status is the command line's,
from the verdict the step tagged its run with: 0 no drift, 1 drift, 2 no verdict (bad input).
"""
from shared_code.aml_emulator.command import emulated_workspace_dir
from shared_code.aml_emulator.http_transport import serve
from shared_code.aml_emulator.pipeline_runner import EmulatedPipelineRunner
from shared_code.aml_emulator.pipeline_steps import job_steps
from shared_code.aml_emulator.registered_datasets import register_pipeline_datasets
from shared_code.aml_emulator.report import print_recorded
from shared_code.aml_emulator.service_standins import ROUTES
from shared_code.aml_emulator.workspace import emulated_workspace
from shared_code.aml_emulator.workspace_service import add_compute
from shared_code.amltoolbox.errors import EXIT_USER_ERROR
from shared_code.amltoolbox.local.dataset_preparation import ensure_datasets
from shared_code.amltoolbox.local.model_checks import VERDICT_TAG
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.pipeline import DatasetInput, Step
from shared_code.amltoolbox.progress import Report, print_line
from shared_code.amltoolbox.records import RunResult

from .drift_cli import EXIT_DRIFT, EXIT_NO_DRIFT
from .drift_pipeline import STEP_NAME, build_drift_pipeline, drift_experiment
from .drift_report import DRIFT
from .drift_step import NEW_INPUT


class EmulatedDriftRunner(EmulatedPipelineRunner):
    """The emulator's pipeline runner, given the drift pipeline to build."""

    def __init__(self, config: ModelConfig, experiment_name: str, new: DatasetInput,  # pylint: disable=too-many-arguments
                 version: int | None, local_workspace: LocalWorkspace,
                 report: Report = print_line):
        # The new data as a step's input: what the runner prepares and registers.
        reads = Step(STEP_NAME, "drift_step.py", inputs={NEW_INPUT: new})
        super().__init__(config, [reads], drift_experiment(experiment_name), local_workspace,
                         emulated_workspace_dir(local_workspace), report)
        self.new, self.version = new, version

    def _prepare(self):
        """Register the new data, give the workspace the model's cluster, build the drift
        pipeline against the emulated registry."""
        ensure_datasets(self.config, self.steps, self.local_workspace, self.report)
        register_pipeline_datasets(self.store, self.steps, self.local_workspace)
        add_compute(self.store, self.config.compute_target)
        with serve(self.store, ROUTES):
            pipeline = build_drift_pipeline(emulated_workspace(), self.config, self.new,
                                            self.version)
        return job_steps(pipeline)


def exit_status(result: RunResult) -> int:
    """The command line's exit status from the verdict the step recorded."""
    verdict = next((step.tags.get(VERDICT_TAG) for step in result.steps), None)
    if verdict is None:
        return EXIT_USER_ERROR
    return EXIT_DRIFT if verdict == DRIFT else EXIT_NO_DRIFT


def run_emulated_drift(config: ModelConfig, experiment_name: str, new: DatasetInput,
                       version: int | None, report: Report = print_line) -> int:
    """Run the drift pipeline under the emulator and print what was recorded; the status."""
    workspace = LocalWorkspace()
    try:
        runner = EmulatedDriftRunner(config, experiment_name, new, version, workspace, report)
        result = runner.run()
    finally:
        workspace.close()
    print_recorded(result, runner.store, report)
    status = exit_status(result)
    verdict = next((step.tags.get(VERDICT_TAG) for step in result.steps), None)
    report(f"drift check: {verdict or 'no verdict'} (exit status {status})")
    return status
