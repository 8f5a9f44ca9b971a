"""`deploy MODEL --env dev|prd --sdk v2` against a stand-in MLClient: the registered model
with the conda file and the entry script, all the traffic, the smoke test with the key."""
from pathlib import Path

import pytest

pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from shared_code.aml_sdk_v2.online_deployment import deploy_online
from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.deployment.errors import DeploymentError
from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.serving.server_entry import MODEL_ENTRY_SCRIPT_ENV_VAR


@pytest.fixture(name="ml_client")
def fixture_ml_client(mocker):
    client = mocker.MagicMock()
    client.workspace_name = "ws"
    model = mocker.Mock(version="3", properties={"sha256": "ab" * 32})
    model.name = "model_a"
    client.models.get.return_value = model
    client.online_endpoints.get.return_value.scoring_uri = "https://model-a-dev/score"
    client.online_endpoints.get_keys.return_value.primary_key = "the-key"
    client.online_deployments.get_logs.return_value = "container log"
    return client


@pytest.fixture(name="smoke")
def fixture_smoke(mocker):
    return mocker.patch("shared_code.amltoolbox.serving.smoke_test.smoke_test",
                        return_value=(True, "PASS model_a: 2 sample(s)"))


@pytest.mark.parametrize("env", ["dev", "prd"])
def test_the_registered_model_is_deployed_with_the_entry_script_and_smoke_tested(
        env, ml_client, smoke):
    seen = {}

    def deployment_created(deployment):
        source = Path(deployment.code_configuration.code)
        seen["entry"] = (source / deployment.code_configuration.scoring_script).is_file()
        seen["model_entry"] = (
            source / deployment.environment_variables[MODEL_ENTRY_SCRIPT_ENV_VAR]).is_file()
        seen["shared_code"] = (source / "shared_code" / "amltoolbox").is_dir()
        return ml_client.online_deployments  # its .result() is a Mock
    ml_client.online_deployments.begin_create_or_update.side_effect = deployment_created

    result = deploy_online(model_folder("model_a"), env, version=3, report=lambda _: None,
                           ml_client=ml_client)
    ml_client.models.get.assert_called_once_with(name="model_a", version="3")
    deployment = ml_client.online_deployments.begin_create_or_update.call_args.args[0]
    assert deployment.model.version == "3"
    # model_a's entry script, run behind the toolbox's, which installs the request protections
    assert deployment.environment_variables[MODEL_ENTRY_SCRIPT_ENV_VAR] == \
        "model_a/config/entry_script.py"
    assert deployment.code_configuration.scoring_script == \
        "shared_code/amltoolbox/serving/server_entry_script.py"
    assert seen == {"entry": True, "model_entry": True, "shared_code": True}
    assert deployment.environment_variables["MODEL_SHA256"] == "ab" * 32
    pip = deployment.environment.conda_file["dependencies"][-1]["pip"]
    assert any(p.startswith("azureml-inference-server-http==") for p in pip)
    endpoint = ml_client.online_endpoints.begin_create_or_update.call_args.args[0]
    assert endpoint.name == f"model-a-{env}" and endpoint.traffic == {deployment.name: 100}
    smoke.assert_called_once_with("model_a", "https://model-a-dev/score", api_key="the-key")
    assert (result.model_id, result.service_name) == ("model_a:3", f"model-a-{env}")


def test_without_a_version_the_latest_is_deployed(ml_client, smoke):  # pylint: disable=unused-argument
    deploy_online(model_folder("model_a"), "dev", report=lambda _: None, ml_client=ml_client)
    ml_client.models.get.assert_called_once_with(name="model_a", label="latest")


def test_an_unregistered_model_says_how_to_register_it(ml_client):
    ml_client.models.get.side_effect = ResourceNotFoundError("none")
    with pytest.raises(DeploymentError, match="Run the model's pipeline in Azure ML first"):
        deploy_online(model_folder("model_a"), "dev", 7, report=lambda _: None,
                      ml_client=ml_client)


def test_a_failed_deployment_ends_with_the_reason_and_the_logs(ml_client):
    ml_client.online_deployments.begin_create_or_update.side_effect = HttpResponseError("boom")
    with pytest.raises(DeploymentError, match="failed: boom") as failure:
        deploy_online(model_folder("model_a"), "dev", report=lambda _: None, ml_client=ml_client)
    assert failure.value.details == "container log"


def test_a_failed_smoke_test_fails_the_deployment_with_the_logs(ml_client, smoke):
    smoke.return_value = (False, "FAIL model_a: 500")
    with pytest.raises(DeploymentError, match="failed the smoke test: FAIL") as failure:
        deploy_online(model_folder("model_a"), "dev", report=lambda _: None, ml_client=ml_client)
    assert failure.value.details == "container log"


def test_the_command_line_deploys_with_sdk_v2(ml_client, smoke, mocker, capsys):  # pylint: disable=unused-argument
    mocker.patch("shared_code.aml_sdk_v2.ml_client.workspace_ml_client",
                 return_value=ml_client)
    with pytest.raises(SystemExit) as stop:
        main(["deploy", "model_a", "--env", "dev", "--sdk", "v2", "--version", "3"])
    assert stop.value.code == 0
    assert "scoring URI: https://model-a-dev/score" in capsys.readouterr().out


def test_a_v1_service_name_is_refused_with_sdk_v2(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["deploy", "model_a", "--env", "dev", "--sdk", "v2", "--service-name", "x"])
    assert stop.value.code == 2
    assert "online_endpoint_dev.yml" in capsys.readouterr().err


def test_the_release_artifact_names_the_latest_v2_version(ml_client, mocker, tmp_path):
    mocker.patch("shared_code.aml_sdk_v2.ml_client.workspace_ml_client",
                 return_value=ml_client)
    with pytest.raises(SystemExit) as stop:
        main(["release-artifact", "model_a", "--output", str(tmp_path), "--sdk", "v2"])
    assert stop.value.code == 0
    assert '"version": 3' in (tmp_path / "registered_model.json").read_text()
