"""Submit a model's pipeline to Azure ML as an experiment run, or publish it for CI to trigger."""
from typing import Sequence

from azureml.core import Experiment
from azureml.pipeline.core import PipelineEndpoint

from ..git_info import GIT_COMMIT, GIT_DIRTY, git_properties
from ..model_config import ModelConfig
from ..paths import REPO_ROOT
from ..pipeline import Step
from .pipeline_builder import build_pipeline, pipeline_description
from .workspace import get_workspace

FINISHED = "Finished"


def run_pipeline(config: ModelConfig, steps: Sequence[Step], experiment_name: str,  # pylint: disable=too-many-arguments
                 workspace=None, wait: bool = False, regenerate_outputs: bool = False):
    """Submit the pipeline to the experiment; the PipelineRun, ended when `wait`.

    `regenerate_outputs` runs every step again, as `--no-reuse` does locally.
    """
    workspace = workspace or get_workspace()
    pipeline = build_pipeline(workspace, config, steps)
    run = Experiment(workspace, experiment_name).submit(
        pipeline, regenerate_outputs=regenerate_outputs)
    if wait:
        run.wait_for_completion(show_output=True, raise_on_error=False)
    return run


def succeeded(run) -> bool:
    """Whether a pipeline run finished without error."""
    return run.get_status() == FINISHED


def code_version(repo=REPO_ROOT) -> str | None:
    """The git commit the published pipeline is built from, marked when the tree has changes."""
    properties = git_properties(repo)
    if GIT_COMMIT not in properties:
        return None
    dirty = properties.get(GIT_DIRTY) == "True"
    return properties[GIT_COMMIT][:12] + ("-dirty" if dirty else "")


def find_endpoint(workspace, name: str):
    """The pipeline endpoint called `name`, or None."""
    return next((endpoint for endpoint in PipelineEndpoint.list(workspace, active_only=False)
                 if endpoint.name == name), None)


def publish_pipeline(config: ModelConfig, steps: Sequence[Step], experiment_name: str,
                     workspace=None):
    """Publish the pipeline and make it the default of the pipeline endpoint named after the
    experiment, so CI triggers the new version through the same endpoint.

    Returns the published pipeline and the endpoint.
    """
    workspace = workspace or get_workspace()
    description = pipeline_description(config, steps)
    published = build_pipeline(workspace, config, steps).publish(
        name=experiment_name, description=description, version=code_version(),
        continue_on_step_failure=False)
    endpoint = find_endpoint(workspace, experiment_name)
    if endpoint is None:
        endpoint = PipelineEndpoint.publish(workspace, name=experiment_name,
                                            description=description, pipeline=published)
    else:
        endpoint.add_default(published)
    return published, endpoint
