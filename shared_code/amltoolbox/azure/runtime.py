"""The runtime of a step inside an Azure ML (SDK v1) job: Azure ML's Run and model registry."""
import functools


class AzureRuntime:
    """Run.get_context() (a _SubmittedRun in a job), and its workspace's model registry."""

    @functools.cached_property
    def run(self):
        """Azure ML's run of this step."""
        from azureml.core import Run
        return Run.get_context()

    @functools.cached_property
    def registry(self):
        """The registry of the workspace the run belongs to."""
        from .registry import AzureRegistry
        return AzureRegistry(self.run.experiment.workspace)
