"""--sdk v2 --submit and --publish against a stand-in MLClient: what is sent, and what the
user is told."""
from pathlib import Path

import pytest

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from azure.core.exceptions import ResourceNotFoundError

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.aml_sdk_v2.submission import (endpoint_name, publish_pipeline,
                                               resolve_dataset_versions,
                                               submit_pipeline_job)
from shared_code.amltoolbox.cli.pipeline_cli import main


@pytest.fixture(name="ml_client")
def fixture_ml_client(mocker):
    client = mocker.MagicMock()
    client.workspace_name = "ws"
    client.data.get.side_effect = lambda name, label: mocker.Mock(version=3)
    created = mocker.Mock(status="Running", studio_url="https://studio/job-1")
    created.name = "job-1"  # Mock(name=...) names the mock, not the attribute
    client.jobs.create_or_update.return_value = created
    client.components.create_or_update.side_effect = lambda component: component
    return client


def test_submission_pins_the_latest_dataset_versions(model_pipeline, ml_client):
    config, steps = model_pipeline
    submit_pipeline_job(ml_client, config, steps, "exp", "cluster")
    job = ml_client.jobs.create_or_update.call_args.args[0]
    assert ml_client.jobs.create_or_update.call_args.kwargs == {"experiment_name": "exp"}
    training = config.dataset("training").name
    assert job.jobs["train"].inputs["train_data"]._data.path == f"azureml:{training}:3"  # pylint: disable=protected-access


def test_an_unregistered_dataset_says_how_to_register_it(model_pipeline, ml_client):
    _, steps = model_pipeline
    ml_client.data.get.side_effect = ResourceNotFoundError("not found")
    with pytest.raises(AzureSetupError, match="--target azureml --sdk v2"):
        resolve_dataset_versions(ml_client, steps)


def test_wait_streams_the_job_and_reports_how_it_ended(model_pipeline, ml_client, mocker, capsys):
    config, steps = model_pipeline
    mocker.patch("shared_code.aml_sdk_v2.ml_client.workspace_ml_client",
                 return_value=ml_client)
    ml_client.jobs.get.return_value = mocker.Mock(status="Failed", studio_url="u")
    ml_client.jobs.get.return_value.name = "job-1"
    with pytest.raises(SystemExit) as stop:
        main(config, steps, "exp", ["--sdk", "v2", "--submit", "--wait", "--no-reuse"])
    assert stop.value.code == 1
    ml_client.jobs.stream.assert_called_once_with("job-1")
    assert ml_client.jobs.create_or_update.call_args.args[0].settings.force_rerun is True
    assert "job job-1: Failed" in capsys.readouterr().out


def test_publish_makes_the_pipeline_the_default_of_a_batch_endpoint(model_pipeline, ml_client):
    config, steps = model_pipeline
    component, _ = publish_pipeline(ml_client, config, steps, "model_a", "cluster")
    assert component.name == "model_a" and list(component.jobs) == [s.name for s in steps]
    endpoint = ml_client.batch_endpoints.begin_create_or_update.call_args_list[0].args[0]
    assert endpoint.name == "model-a"
    deployment = ml_client.batch_deployments.begin_create_or_update.call_args.args[0]
    assert deployment.component is component and deployment.endpoint_name == "model-a"
    assert deployment.name == f"v-{component.version}"
    default = ml_client.batch_endpoints.get.return_value
    assert default.defaults.deployment_name == deployment.name
    ml_client.batch_endpoints.begin_create_or_update.assert_called_with(default)


def test_publishing_the_same_pipeline_again_names_the_same_version(model_pipeline, ml_client):
    config, steps = model_pipeline
    first, _ = publish_pipeline(ml_client, config, steps, "model_a", "cluster")
    second, _ = publish_pipeline(ml_client, config, steps, "model_a", "cluster")
    other, _ = publish_pipeline(ml_client, config, steps, "model_a", "other-cluster")
    assert first.version == second.version != other.version


@pytest.mark.parametrize("experiment, name", [("model_a", "model-a"),
                                              ("Canal Level", "canal-level")])
def test_endpoint_names_follow_azure_mls_rule(experiment, name):
    assert endpoint_name(experiment) == name


def test_an_experiment_that_cannot_name_an_endpoint_is_refused():
    with pytest.raises(AzureSetupError, match="cannot name a batch endpoint"):
        endpoint_name("7")


def test_each_job_uploads_its_models_own_snapshot(model_pipeline, ml_client, workspace_dir):
    config, steps = model_pipeline
    submit_pipeline_job(ml_client, config, steps, "exp", "cluster")
    job = ml_client.jobs.create_or_update.call_args.args[0]
    codes = {Path(node.code) for node in job.jobs.values()}
    assert len(codes) == 1
    code = codes.pop()
    assert code.is_relative_to(workspace_dir)
    assert {path.name for path in code.iterdir()} == {".amlignore", config.folder.name,
                                                      "shared_code"}
    for step in steps:
        assert (code / config.folder.name / "script_steps" / step.script_name).is_file()
