"""The Azure ML (SDK v1) calls of a deployment: the registered model, the inference config,
the web service, its URI, key and logs. azureml is imported only inside the functions."""
import re
from pathlib import Path

from ..layout import ModelLayout
from ..promotion.registry import SHA256_PROPERTY
from ..serving.model_loading import EXPECTED_SHA256_ENV_VAR
from ..serving.server_entry import deployed_entry
from .errors import DeploymentError
from .inference_config import load_inference_config
from .sdk_free import LOG_LINES

HEALTHY = "Healthy"

# Azure ML's rule for service names: 3 to 32 lowercase letters, digits and dashes,
# starting with a letter and not ending with a dash.
_SERVICE_NAME = re.compile(r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$")


def service_name(model_name: str, env: str) -> str:
    """The web service's name for a model in an environment: model_a, dev -> model-a-dev."""
    name = re.sub(r"[^a-z0-9]+", "-", f"{model_name}-{env}".lower()).strip("-")
    if not _SERVICE_NAME.match(name):
        raise DeploymentError(
            f"'{name}' cannot name an Azure ML web service (3 to 32 lowercase letters, digits "
            "and dashes, starting with a letter); choose one with --service-name")
    return name


def registered_model(workspace, name: str, version: int | None = None):
    """The registered azureml Model: `version`, or the latest one."""
    from azureml.core import Model
    from azureml.exceptions import ModelNotFoundException, WebserviceException
    try:
        return Model(workspace, name=name, version=version)
    except (ModelNotFoundException, WebserviceException) as error:
        wanted = f"{name}:{version}" if version else name
        raise DeploymentError(
            f"no registered model {wanted} in workspace {workspace.name}. Run the model's "
            "pipeline in Azure ML first (its CI does), or check the name and version with "
            f"`az ml model list -w {workspace.name}`. ({_message(error)})") from None


def build_inference_config(model_folder: Path, environment_name: str, source_directory: Path):
    """The SDK's InferenceConfig for config/inference_config.yml: its entry script behind the
    toolbox's (serving/server_entry_script.py), in an Environment built from its conda file
    as the SDK builds one (azureml/_model_management/_util.py:1219-1229); `source_directory`
    holds shared_code beside the model folder (deployment_source)."""
    from azureml.core import Environment
    from azureml.core.model import InferenceConfig
    from azureml.exceptions import WebserviceException
    layout = ModelLayout(Path(model_folder).resolve())
    settings = load_inference_config(layout.folder)
    if not (Path(source_directory) / settings.entry_script).is_file():
        raise DeploymentError(f"{layout.name}'s inference config is not usable: entry_script "
                              f"{settings.entry_script} doesn't exist in {source_directory}")
    environment = Environment.from_conda_specification(environment_name, str(settings.conda_file))
    entry_script, variables = deployed_entry(settings.entry_script)
    environment.environment_variables.update(variables)
    try:
        return InferenceConfig(entry_script=entry_script,
                               source_directory=str(source_directory), environment=environment)
    except WebserviceException as error:
        raise DeploymentError(f"{layout.name}'s inference config is not usable: "
                              f"{_message(error)}") from None


def expect_checksum(inference_config, model) -> None:
    """Have init() check the deployed files against the sha256 register.py recorded on the
    model, as it does when served locally."""
    sha256 = (model.properties or {}).get(SHA256_PROPERTY)
    if sha256:
        inference_config.environment.environment_variables[EXPECTED_SHA256_ENV_VAR] = sha256


def compute_type(deployment_config) -> str:
    """ACI or AKS: where a deployment configuration object deploys to."""
    return deployment_config._webservice_type._webservice_type  # pylint: disable=protected-access


def existing_service(workspace, name: str):
    """The web service called `name`, or None when there is none."""
    from azureml.core.webservice import Webservice
    from azureml.exceptions import WebserviceException
    try:
        # Webservice(...) returns the subclass (AciWebservice, AksWebservice) of the service found.
        return Webservice(workspace, name=name)  # pylint: disable=abstract-class-instantiated
    except WebserviceException:
        return None


def deploy_service(workspace, name: str, model, inference_config, deployment_config):
    """Create the service, or replace the one of that name in place (keeping its name and URI,
    applying the whole yml in git); wait until it is up."""
    from azureml.core import Model
    from azureml.exceptions import WebserviceException
    current = existing_service(workspace, name)
    wanted_type = compute_type(deployment_config)
    if current is not None and current.compute_type != wanted_type:
        raise DeploymentError(
            f"the service {name} already exists on {current.compute_type}, but the deployment "
            f"config asks for {wanted_type}. Delete it (`az ml service delete -n {name}`) or "
            "deploy under another --service-name.")
    try:
        service = Model.deploy(workspace, name, [model], inference_config=inference_config,
                               deployment_config=deployment_config, overwrite=current is not None)
        service.wait_for_deployment(show_output=True)
    except WebserviceException as error:
        raise DeploymentError(
            f"deploying {model.name}:{model.version} as {name} failed: {_message(error)}",
            details=service_logs(existing_service(workspace, name))) from None
    if service.state != HEALTHY:
        raise DeploymentError(f"the service {name} ended {service.state}, not {HEALTHY}",
                              details=service_logs(service))
    return service


def service_key(service) -> str | None:
    """What a client sends as `Authorization: Bearer ...`: a key, a token, or None when open."""
    if getattr(service, "auth_enabled", False):
        return service.get_keys()[0]
    if getattr(service, "token_auth_enabled", False):
        return service.get_access_token().access_token
    return None


def service_logs(service) -> str | None:
    """The service's last container log lines, or None when there are none to fetch."""
    from azureml.exceptions import WebserviceException
    if service is None:
        return None
    try:
        return service.get_logs(num_lines=LOG_LINES) or None
    except WebserviceException:
        return None


def _message(error) -> str:
    return str(getattr(error, "message", None) or error).strip()
