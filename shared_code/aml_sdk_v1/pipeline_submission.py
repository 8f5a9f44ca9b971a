"""Submit a model's pipeline to Azure ML as an experiment run, or publish it for CI to trigger."""
from dataclasses import dataclass
from typing import Sequence

from azureml.core import Experiment
from azureml.pipeline.core import PipelineEndpoint

from shared_code.amltoolbox.azure.workspace import get_workspace
from shared_code.amltoolbox.git_info import (GIT_COMMIT, GIT_DIRTY, git_properties,
                                             model_code_paths)
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import Step

from .git_state import repository_git_state
from .pipeline_builder import build_pipeline, pipeline_description
from .reuse_prediction import format_predictions, predict, predicted_parts, require_reuse
from .submission_records import SUBMITTED, SubmissionRecords

FINISHED = "Finished"


@dataclass(frozen=True)
class ReuseCheck:
    """What a submission does with Azure ML's predicted reuse: print it (`explain`), and
    refuse to submit when a step expected to be reused would run again (`expect_reuse`)."""
    explain: bool = False
    expect_reuse: bool = False


def run_pipeline(config: ModelConfig, steps: Sequence[Step], experiment_name: str,  # pylint: disable=too-many-arguments
                 workspace=None, wait: bool = False, regenerate_outputs: bool = False,
                 reuse_check: ReuseCheck = ReuseCheck()):
    """Submit the pipeline to the experiment; the PipelineRun, ended when `wait`.

    `regenerate_outputs` runs every step again, as `--no-reuse` does locally. Before
    submitting, Azure ML's reuse of each step is predicted (printed with
    `reuse_check.explain`; with `reuse_check.expect_reuse`, nothing is submitted when a step
    that allows reuse would run again); the steps' keys are recorded with the run.
    """
    workspace = workspace or get_workspace()
    pipeline = build_pipeline(workspace, config, steps)
    records = SubmissionRecords(LocalWorkspace().store)
    parts = predicted_parts(pipeline)
    predictions = predict(parts, records.last(experiment_name), regenerate_outputs)
    if reuse_check.explain:
        print("\n".join(format_predictions(predictions)))
    if reuse_check.expect_reuse:
        require_reuse(predictions)
    with repository_git_state(code=model_code_paths(config.folder, REPO_ROOT)):
        run = Experiment(workspace, experiment_name).submit(
            pipeline, regenerate_outputs=regenerate_outputs)
    records.record(experiment_name, run.id, SUBMITTED, parts)
    if wait:
        run.wait_for_completion(show_output=True, raise_on_error=False)
    return run


def succeeded(run) -> bool:
    """Whether a pipeline run finished without error."""
    return run.get_status() == FINISHED


def code_version(repo=REPO_ROOT, code: Sequence[str] = ()) -> str | None:
    """The git commit the published pipeline is built from, marked when the tree (its `code`
    paths, when given) has changes."""
    properties = git_properties(repo, code)
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
    code = model_code_paths(config.folder, REPO_ROOT)
    with repository_git_state(code=code):
        published = build_pipeline(workspace, config, steps).publish(
            name=experiment_name, description=description, version=code_version(code=code),
            continue_on_step_failure=False)
    endpoint = find_endpoint(workspace, experiment_name)
    if endpoint is None:
        endpoint = PipelineEndpoint.publish(workspace, name=experiment_name,
                                            description=description, pipeline=published)
    else:
        endpoint.add_default(published)
    return published, endpoint
