"""The runtime of a step inside an Azure ML SDK v2 command job: its V2Run and the workspace's
model registry through MLClient, signed in as the job."""
import functools


class V2Runtime:
    """What a step in a v2 job talks to (run_context.Runtime)."""

    @functools.cached_property
    def run(self):
        """The step's run: paths from the command line, logging through MLflow."""
        from .step_run import V2Run
        return V2Run.from_job()

    @functools.cached_property
    def registry(self):
        """The workspace's model registry, for evaluate's champion and register."""
        from .ml_client import job_ml_client
        from .registry import MlClientRegistry
        return MlClientRegistry(job_ml_client())
