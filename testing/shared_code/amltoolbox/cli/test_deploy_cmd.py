"""`deploy` and `release-artifact` from the command line, with what they call mocked."""
import json
import subprocess
import sys

import pytest

from shared_code.amltoolbox.azure import workspace as azure_workspace
from shared_code.amltoolbox.cli import deploy_cmd
from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.deployment.errors import DeploymentError
from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.serving.local_server import ServeError


def _exit_status(argv) -> int:
    with pytest.raises(SystemExit) as ended:
        main(argv)
    return ended.value.code


@pytest.fixture(name="deploy_to_azure")
def fixture_deploy_to_azure(mocker):
    return mocker.patch.object(deploy_cmd, "deploy_to_azure")


@pytest.fixture(name="serve_model")
def fixture_serve_model(mocker):
    """The local server, which would serve until stopped."""
    return mocker.patch.object(deploy_cmd, "serve_model", return_value=0)


@pytest.fixture(name="artifact")
def fixture_artifact(tmp_path):
    path = tmp_path / "registered_model.json"
    path.write_text(json.dumps({"model_folder": "model_a", "name": "model_a", "version": 4}),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("env", ["dev", "prd"])
def test_dev_and_prd_deploy_to_azure(deploy_to_azure, env):
    assert _exit_status(["deploy", "model_a", "--env", env, "--version", "2"]) == 0
    deploy_to_azure.assert_called_once_with(model_folder("model_a"), env, 2, None)


def test_the_release_deploys_the_version_its_artifact_names(deploy_to_azure, artifact):
    assert _exit_status(["deploy", "model_a", "--env", "dev", "--artifact", str(artifact),
                         "--service-name", "diabetes-dev"]) == 0
    deploy_to_azure.assert_called_once_with(model_folder("model_a"), "dev", 4, "diabetes-dev")


def test_an_artifact_of_another_model_is_refused(deploy_to_azure, artifact, capsys):
    assert _exit_status(["deploy", "model_b", "--env", "prd", "--artifact", str(artifact)]) == 1
    assert "the release links the wrong CI build" in capsys.readouterr().err
    deploy_to_azure.assert_not_called()


def test_local_serves_as_tox_serve_does(serve_model, artifact):
    assert _exit_status(["deploy", "model_a", "--env", "local", "--artifact", str(artifact),
                         "--port", "5099"]) == 0
    serve_model.assert_called_once_with("model_a", version=4, port=5099)


def test_the_servers_exit_status_is_the_commands(serve_model):
    serve_model.return_value = 3
    assert _exit_status(["deploy", "model_a", "--env", "local"]) == 3
    serve_model.assert_called_once_with("model_a", version=None, port=deploy_cmd.DEFAULT_PORT)


def test_a_server_that_cannot_start_is_a_usage_error(serve_model, capsys):
    serve_model.side_effect = ServeError("port 5001 is in use; pass --port")
    assert _exit_status(["deploy", "model_a", "--env", "local"]) == 2
    assert "error: port 5001 is in use; pass --port" in capsys.readouterr().err


def test_a_failed_deployment_ends_with_its_message_and_the_services_logs(deploy_to_azure,
                                                                         capsys):
    deploy_to_azure.side_effect = DeploymentError("the service model-a-dev ended Unhealthy",
                                                  details="Traceback: model file missing\n")
    assert _exit_status(["deploy", "model_a", "--env", "dev"]) == 1
    err = capsys.readouterr().err
    assert "error: the service model-a-dev ended Unhealthy" in err
    assert "--- the service's logs ---\nTraceback: model file missing\n" \
           "--- end of the service's logs ---" in err


@pytest.mark.parametrize("argv", [
    ["deploy", "model_a", "--env", "staging"],
    ["deploy", "model_a"],
    ["deploy", "model_a", "--env", "dev", "--version", "1", "--artifact", "x.json"],
])
def test_bad_arguments_are_usage_errors(argv, deploy_to_azure):
    assert _exit_status(argv) == 2
    deploy_to_azure.assert_not_called()


def test_an_unknown_model_is_a_usage_error(deploy_to_azure, capsys):
    assert _exit_status(["deploy", "model_zz", "--env", "dev"]) == 2
    assert "'model_zz' is not a model folder" in capsys.readouterr().err
    deploy_to_azure.assert_not_called()


def test_release_artifact_writes_the_latest_registered_version(mocker, tmp_path, capsys):
    workspace = mocker.Mock()
    mocker.patch.object(azure_workspace, "get_workspace", return_value=workspace)
    model_class = mocker.patch("azureml.core.Model")
    model_class.return_value.version = 9
    assert _exit_status(["release-artifact", "model_a", "--output", str(tmp_path / "out")]) == 0
    written = json.loads((tmp_path / "out" / "registered_model.json").read_text(encoding="utf-8"))
    assert written == {"model_folder": "model_a", "name": "model_a", "version": 9}
    model_class.assert_called_once_with(workspace, name="model_a", version=None)
    assert "model_a:9 ->" in capsys.readouterr().out


def test_release_artifact_without_a_registered_model_fails(mocker, tmp_path, capsys):
    from azureml.exceptions import WebserviceException
    mocker.patch.object(azure_workspace, "get_workspace")
    mocker.patch("azureml.core.Model", side_effect=WebserviceException("ModelNotFound"))
    assert _exit_status(["release-artifact", "model_a", "--output", str(tmp_path)]) == 1
    assert "no registered model model_a" in capsys.readouterr().err
    assert not (tmp_path / "registered_model.json").exists()


def test_the_deploy_command_loads_no_azure_sdk_until_it_talks_to_azure():
    code = ("import sys; import shared_code.amltoolbox.cli.deploy_cmd; "
            "print(sorted(m for m in sys.modules if m.startswith('azureml')))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    assert loaded == "[]"
