"""Submitting and publishing the real pipeline, with the calls that reach Azure mocked."""
import os

import pytest
from azureml._base_sdk_common.tracking import global_tracking_info_registry
from azureml.pipeline.core import Pipeline

from shared_code.aml_sdk_v1 import pipeline_submission
from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY, git_properties
from shared_code.amltoolbox.paths import REPO_ROOT

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")


@pytest.fixture(name="experiment")
def fixture_experiment(mocker):
    """The Experiment class, mocked: submitting returns a mocked PipelineRun."""
    experiment = mocker.patch.object(pipeline_submission, "Experiment")
    experiment.return_value.submit.return_value.id = "pipeline-run-1"
    return experiment


@pytest.fixture(name="endpoints")
def fixture_endpoints(mocker):
    """The PipelineEndpoint class, mocked, with no endpoint in the workspace yet."""
    endpoint_class = mocker.patch.object(pipeline_submission, "PipelineEndpoint")
    endpoint_class.list.return_value = []
    return endpoint_class


@pytest.fixture(name="publish")
def fixture_publish(mocker):
    """Pipeline.publish, mocked: it would upload the snapshot."""
    return mocker.patch.object(Pipeline, "publish", autospec=True)


def test_run_pipeline_submits_the_built_pipeline_to_the_models_experiment(model_a, workspace,
                                                                          experiment):
    config, steps = model_a
    run = pipeline_submission.run_pipeline(config, steps, "model_a", workspace)
    experiment.assert_called_once_with(workspace, "model_a")
    submitted, = experiment.return_value.submit.call_args.args
    assert isinstance(submitted, Pipeline)
    assert [node.name for node in submitted.graph.module_nodes] == ["train", "evaluate", "register"]
    assert experiment.return_value.submit.call_args.kwargs == {"regenerate_outputs": False}
    assert run is experiment.return_value.submit.return_value
    run.wait_for_completion.assert_not_called()


def test_waiting_streams_the_run_until_it_ends(model_a, workspace, experiment):
    run = pipeline_submission.run_pipeline(*model_a, "model_a", workspace, wait=True,
                                           regenerate_outputs=True)
    assert experiment.return_value.submit.call_args.kwargs == {"regenerate_outputs": True}
    run.wait_for_completion.assert_called_once_with(show_output=True, raise_on_error=False)


def test_without_a_workspace_the_configured_one_is_used(model_a, workspace, experiment, mocker):
    get_workspace = mocker.patch.object(pipeline_submission, "get_workspace",
                                        return_value=workspace)
    pipeline_submission.run_pipeline(*model_a, "model_a")
    get_workspace.assert_called_once_with()
    experiment.assert_called_once_with(workspace, "model_a")


@pytest.mark.parametrize("status, expected", [("Finished", True), ("Failed", False),
                                              ("Canceled", False)])
def test_succeeded(mocker, status, expected):
    assert pipeline_submission.succeeded(mocker.Mock(get_status=lambda: status)) is expected


def test_publishing_creates_the_endpoint_ci_triggers(model_a, workspace, endpoints, publish,
                                                     mocker):
    mocker.patch.object(pipeline_submission, "git_properties",
                        return_value={GIT_COMMIT: "0123456789abcdef", GIT_DIRTY: "False"})
    published, endpoint = pipeline_submission.publish_pipeline(*model_a, "model_a", workspace)
    publish.assert_called_once_with(
        mocker.ANY, name="model_a", description="model_a: train -> evaluate -> register",
        version="0123456789ab", continue_on_step_failure=False)
    assert published is publish.return_value
    endpoints.publish.assert_called_once_with(
        workspace, name="model_a", description="model_a: train -> evaluate -> register",
        pipeline=published)
    assert endpoint is endpoints.publish.return_value


def test_publishing_again_makes_the_new_version_the_endpoints_default(model_a, workspace, endpoints,
                                                                      publish, mocker):
    existing = mocker.Mock()
    existing.name = "model_a"
    other = mocker.Mock()
    other.name = "model_b"
    endpoints.list.return_value = [other, existing]
    _, endpoint = pipeline_submission.publish_pipeline(*model_a, "model_a", workspace)
    endpoints.list.assert_called_once_with(workspace, active_only=False)
    existing.add_default.assert_called_once_with(publish.return_value)
    endpoints.publish.assert_not_called()
    assert endpoint is existing


@pytest.mark.parametrize("properties, expected", [
    ({GIT_COMMIT: "0123456789abcdef", GIT_DIRTY: "False"}, "0123456789ab"),
    ({GIT_COMMIT: "0123456789abcdef", GIT_DIRTY: "True"}, "0123456789ab-dirty"),
    ({}, None),
])
def test_code_version(mocker, properties, expected):
    mocker.patch.object(pipeline_submission, "git_properties", return_value=properties)
    assert pipeline_submission.code_version() == expected


def test_the_sdk_records_the_repositorys_git_state_not_the_staged_snapshots(
        model_a, workspace, experiment, monkeypatch, mocker):
    monkeypatch.delenv("AZUREML_GIT_COMMIT", raising=False)
    monkeypatch.delenv("AZUREML_GIT_DIRTY", raising=False)
    seen = {}

    def submit(pipeline, **_):
        # What the SDK gathers in the snapshot's folder as it uploads it.
        node = next(iter(pipeline.graph.module_nodes))
        folder = node._module_builder._content_path  # pylint: disable=protected-access
        seen.update(global_tracking_info_registry.gather_all(folder))
        return mocker.Mock(id="pipeline-run-1")
    experiment.return_value.submit.side_effect = submit
    pipeline_submission.run_pipeline(*model_a, "model_a", workspace)
    expected = global_tracking_info_registry.gather_all(str(REPO_ROOT))
    assert seen["azureml.git.commit"] == expected["azureml.git.commit"]
    # Dirty is that of the model's code, as the local run records it.
    assert seen["azureml.git.dirty"] == git_properties(REPO_ROOT,
                                                       ["model_a", "shared_code"])[GIT_DIRTY]
    assert "AZUREML_GIT_COMMIT" not in os.environ and "AZUREML_GIT_DIRTY" not in os.environ
