"""The Azure ML calls of a deployment, with the SDK's network-facing classes mocked."""
import pytest
from azureml.core.webservice import AciWebservice, AksWebservice
from azureml.exceptions import ModelNotFoundException, WebserviceException

from shared_code.amltoolbox.deployment import azure_service, sdk_free
from shared_code.amltoolbox.deployment.errors import DeploymentError
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.serving.server_entry import MODEL_ENTRY_SCRIPT_ENV_VAR


@pytest.fixture(name="model_class")
def fixture_model_class(mocker):
    return mocker.patch("azureml.core.Model")


@pytest.fixture(name="webservice_class")
def fixture_webservice_class(mocker):
    """Webservice(workspace, name=...) finds no service unless a test says otherwise."""
    return mocker.patch("azureml.core.webservice.Webservice",
                        side_effect=WebserviceException("WebserviceNotFound"))


def _service(mocker, state="Healthy", compute_type="ACI", **attributes):
    service = mocker.Mock(state=state, compute_type=compute_type,
                          scoring_uri="http://service/score", **attributes)
    service.get_logs.return_value = "Booting worker\nmodel loaded"
    return service


@pytest.mark.parametrize("model_name, env, expected", [
    ("model_a", "dev", "model-a-dev"),
    ("Canal_Level--Forecasting", "prd", "canal-level-forecasting-prd"),
])
def test_service_names_follow_azure_mls_rule(model_name, env, expected):
    assert azure_service.service_name(model_name, env) == expected


@pytest.mark.parametrize("model_name", ["a" * 40, "9lives"])
def test_a_model_name_that_cannot_name_a_service_asks_for_one(model_name):
    with pytest.raises(DeploymentError, match="--service-name"):
        azure_service.service_name(model_name, "dev")


def test_the_registered_model_is_looked_up_by_name_and_version(model_class, workspace):
    assert azure_service.registered_model(workspace, "model_a", 3) is model_class.return_value
    model_class.assert_called_once_with(workspace, name="model_a", version=3)


@pytest.mark.parametrize("error", [WebserviceException("ModelNotFound"),
                                   ModelNotFoundException("Model model_a:9 not found")])
def test_a_missing_model_says_how_to_get_one(model_class, workspace, error):
    model_class.side_effect = error
    with pytest.raises(DeploymentError,
                       match="no registered model model_a:9 in workspace mlw-test"):
        azure_service.registered_model(workspace, "model_a", 9)


def test_the_inference_config_is_the_entry_script_in_the_deployment_source(repo_with_model_a,
                                                                          tmp_path):
    config = azure_service.build_inference_config(repo_with_model_a / "model_a", "model_a",
                                                  tmp_path)
    # model_a's entry script, run behind the toolbox's, which installs the request protections
    assert config.environment.environment_variables[MODEL_ENTRY_SCRIPT_ENV_VAR] == \
        "model_a/config/entry_script.py"
    assert config.entry_script == "shared_code/amltoolbox/serving/server_entry_script.py"
    assert config.source_directory == str(tmp_path)
    assert config.environment.name == "model_a"
    assert config.environment.python.conda_dependencies.get_python_version() == "3.11"


def test_an_inference_config_without_entry_script_is_refused(repo_with_model_a):
    (repo_with_model_a / "model_a" / "config" / "entry_script.py").unlink()
    with pytest.raises(DeploymentError, match="model_a's inference config is not usable: "
                                              "entry_script .* doesn't exist"):
        azure_service.build_inference_config(repo_with_model_a / "model_a", "model_a",
                                             repo_with_model_a)


def test_the_deployment_source_is_the_code_the_entry_script_needs_and_no_more(tmp_path):
    model_folder = REPO_ROOT / "model_a"
    source = sdk_free.deployment_source(model_folder, tmp_path / "source")
    assert sorted(p.name for p in source.iterdir()) == ["model_a", "shared_code"]
    assert (source / "model_a" / "config" / "entry_script.py").is_file()
    assert (source / "shared_code" / "amltoolbox" / "serving" / "model_loading.py").is_file()
    names = {p.name for p in source.rglob("*")}
    assert not names & {"data", "eda", "notebooks", "documentation", "__pycache__", ".tox"}
    assert sum(p.stat().st_size for p in source.rglob("*") if p.is_file()) < 5_000_000


@pytest.mark.parametrize("properties, expected", [({"sha256": "ab12"}, "ab12"), ({}, None)])
def test_the_deployment_checks_the_registered_checksum_when_there_is_one(
        repo_with_model_a, tmp_path, mocker, properties, expected):
    config = azure_service.build_inference_config(repo_with_model_a / "model_a", "model_a",
                                                  tmp_path)
    azure_service.expect_checksum(config, mocker.Mock(properties=properties))
    assert config.environment.environment_variables.get("MODEL_SHA256") == expected


def test_a_new_service_is_created_and_waited_for(mocker, model_class, webservice_class,
                                                 workspace):
    service = model_class.deploy.return_value = _service(mocker)
    model, inference = mocker.Mock(), mocker.Mock()
    deployment = AciWebservice.deploy_configuration()
    assert azure_service.deploy_service(workspace, "model-a-dev", model, inference, deployment) \
        is service
    webservice_class.assert_called_once_with(workspace, name="model-a-dev")
    model_class.deploy.assert_called_once_with(
        workspace, "model-a-dev", [model], inference_config=inference,
        deployment_config=deployment, overwrite=False)
    service.wait_for_deployment.assert_called_once_with(show_output=True)


def test_an_existing_service_is_replaced_in_place(mocker, model_class, webservice_class, workspace):
    webservice_class.side_effect = None
    webservice_class.return_value = _service(mocker, compute_type="AKS")
    model_class.deploy.return_value = _service(mocker, compute_type="AKS")
    azure_service.deploy_service(workspace, "model-a-prd", mocker.Mock(), mocker.Mock(),
                                 AksWebservice.deploy_configuration(compute_target_name="aks"))
    assert model_class.deploy.call_args.kwargs["overwrite"] is True


def test_a_service_of_another_compute_type_is_not_replaced(mocker, model_class, webservice_class,
                                                          workspace):
    webservice_class.side_effect = None
    webservice_class.return_value = _service(mocker, compute_type="ACI")
    with pytest.raises(DeploymentError, match="already exists on ACI, but the deployment config "
                                              "asks for AKS"):
        azure_service.deploy_service(workspace, "model-a-prd", mocker.Mock(), mocker.Mock(),
                                     AksWebservice.deploy_configuration(compute_target_name="aks"))
    model_class.deploy.assert_not_called()


def test_a_failed_deployment_reports_the_services_logs(mocker, model_class, webservice_class,
                                                       workspace):
    failed = _service(mocker, state="Failed")
    failed.wait_for_deployment.side_effect = WebserviceException(
        "Service deployment polling reached non-successful terminal state")
    model_class.deploy.return_value = failed
    # Before the deployment there is no service; after it, the failed one is there.
    webservice_class.side_effect = [WebserviceException("WebserviceNotFound"), failed]
    model = mocker.Mock(version=4)
    model.name = "model_a"
    with pytest.raises(DeploymentError, match="deploying model_a:4 as model-a-dev failed: "
                                              "Service deployment polling") as raised:
        azure_service.deploy_service(workspace, "model-a-dev", model, mocker.Mock(),
                                     AciWebservice.deploy_configuration())
    assert raised.value.details == "Booting worker\nmodel loaded"
    failed.get_logs.assert_called_once_with(num_lines=azure_service.LOG_LINES)


@pytest.mark.usefixtures("webservice_class")
def test_a_service_left_unhealthy_is_a_failure(mocker, model_class, workspace):
    model_class.deploy.return_value = _service(mocker, state="Unhealthy")
    with pytest.raises(DeploymentError, match="ended Unhealthy, not Healthy") as raised:
        azure_service.deploy_service(workspace, "model-a-dev", mocker.Mock(), mocker.Mock(),
                                     AciWebservice.deploy_configuration())
    assert "model loaded" in raised.value.details


def test_the_key_is_the_primary_key_or_a_token_or_none(mocker):
    keyed = _service(mocker, auth_enabled=True)
    keyed.get_keys.return_value = ("primary", "secondary")
    tokened = _service(mocker, auth_enabled=False, token_auth_enabled=True)
    tokened.get_access_token.return_value.access_token = "token"
    open_service = _service(mocker, auth_enabled=False, token_auth_enabled=False)
    assert [azure_service.service_key(s) for s in (keyed, tokened, open_service)] == \
        ["primary", "token", None]


def test_logs_that_cannot_be_fetched_are_none(mocker):
    service = _service(mocker)
    service.get_logs.side_effect = WebserviceException("no logs")
    assert azure_service.service_logs(service) is None
    assert azure_service.service_logs(None) is None
