"""The standard's Azure ML entry points of a model's aml_pipeline.py, bound to its step list.

Each model's aml_pipeline.py exposes declare_steps, build_pipeline and run_pipeline;
they are the same wiring for every model, so they live here once. azureml is imported
only when one of them is called, so the local run does not pay for it.
"""
from dataclasses import dataclass
from typing import Sequence

from ..model_config import ModelConfig
from ..pipeline import Step


@dataclass(frozen=True)
class AzureEntryPoints:
    """declare_steps, build_pipeline and run_pipeline for one model's CONFIG and STEPS."""
    config: ModelConfig
    steps: Sequence[Step]

    def declare_steps(self, workspace):
        """The PythonScriptSteps of the step list in `workspace`."""
        from .pipeline_builder import declare_steps
        return declare_steps(workspace, self.config, self.steps)

    def build_pipeline(self, workspace):
        """The azureml.pipeline.core.Pipeline of the step list in `workspace`."""
        from .pipeline_builder import build_pipeline
        return build_pipeline(workspace, self.config, self.steps)

    def run_pipeline(self, workspace=None, wait: bool = False):
        """Submit the pipeline as a run of the model's experiment; the PipelineRun."""
        from .pipeline_submission import run_pipeline
        return run_pipeline(self.config, self.steps, workspace, wait)
