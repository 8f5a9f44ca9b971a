"""`run MODEL --emulate-azureml` (`python -m MODEL.aml_pipeline --emulate-azureml`): the
model's pipeline under the emulator, then what Azure ML would have recorded."""
from typing import Sequence

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.pipeline import Step
from shared_code.amltoolbox.progress import Report, print_line
from .pipeline_runner import EmulatedPipelineRunner
from .report import print_recorded
from .store import emulated_workspace_dir


def run_emulated(config: ModelConfig, steps: Sequence[Step], experiment_name: str,
                 local_workspace: LocalWorkspace | None = None,
                 report: Report = print_line) -> int:
    """Run the pipeline under the emulator, filed under `experiment_name`, and print what was
    recorded; the exit status."""
    workspace = local_workspace or LocalWorkspace()
    try:
        runner = EmulatedPipelineRunner(config, steps, experiment_name, workspace,
                                        emulated_workspace_dir(workspace), report)
        result = runner.run()
    finally:
        if local_workspace is None:
            workspace.close()
    print_recorded(result, runner.store, report)
    return 0 if result.succeeded else 1
