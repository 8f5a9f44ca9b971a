"""Deploy a model folder's registered model to its SDK v2 online endpoint; smoke-test it.

The endpoint and deployment come from the model's v2 files (deployment_files.py); the
model, the environment and the entry script are filled in here, as SDK v1's deploy does:
the registered version, config/conda_environment.yml and config/entry_script.py with
shared_code beside it, run behind the toolbox's entry script (serving/server_entry.py). The
deployment then takes all the endpoint's traffic, and the serving smoke test posts the
model's samples to the scoring URI with the endpoint's key.
"""
import tempfile
from pathlib import Path

from shared_code.amltoolbox.deployment.sdk_free import LOG_LINES, Deployment, deployment_source
from shared_code.amltoolbox.deployment.errors import DeploymentError
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.progress import Report, print_line
from shared_code.amltoolbox.promotion.registry import SHA256_PROPERTY
from shared_code.amltoolbox.serving.model_loading import EXPECTED_SHA256_ENV_VAR
from shared_code.amltoolbox.serving.server_entry import deployed_entry
from .deployment_files import load_deployment, load_endpoint
from .job_environment import BASE_IMAGE, read_conda_file


def registered_model(ml_client, name: str, version: int | None = None):
    """The registered model: `version`, or the latest."""
    from azure.core.exceptions import ResourceNotFoundError
    try:
        if version is not None:
            return ml_client.models.get(name=name, version=str(version))
        return ml_client.models.get(name=name, label="latest")
    except ResourceNotFoundError:
        wanted = f"{name}:{version}" if version else name
        raise DeploymentError(
            f"no registered model {wanted} in workspace {ml_client.workspace_name}. Run the "
            "model's pipeline in Azure ML first (its CI does), or check the name and version "
            f"with `az ml model list -w {ml_client.workspace_name}`.") from None


def complete_deployment(deployment, config, model, source: Path) -> None:
    """Fill in what every deployment of the model has: the model, its environment, the entry
    script (the model's, behind the toolbox's), and the sha256 init() checks the files
    against."""
    from azure.ai.ml.entities import CodeConfiguration, Environment
    deployment.model = model
    deployment.environment = Environment(image=BASE_IMAGE, conda_file=read_conda_file(config))
    scoring_script, variables = deployed_entry(config.layout.relative(config.layout.entry_script))
    deployment.code_configuration = CodeConfiguration(code=str(source),
                                                      scoring_script=scoring_script)
    sha256 = (model.properties or {}).get(SHA256_PROPERTY)
    if sha256:
        variables[EXPECTED_SHA256_ENV_VAR] = sha256
    deployment.environment_variables = {**(deployment.environment_variables or {}), **variables}


def deployment_logs(ml_client, deployment) -> str | None:
    """The deployment's last container log lines, or None when there are none to fetch."""
    from azure.core.exceptions import HttpResponseError
    try:
        return ml_client.online_deployments.get_logs(
            name=deployment.name, endpoint_name=deployment.endpoint_name, lines=LOG_LINES) or None
    except HttpResponseError:
        return None


def roll_out(ml_client, endpoint, deployment) -> None:
    """Create or update the endpoint and the deployment, then send it all the traffic."""
    from azure.core.exceptions import HttpResponseError
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    try:
        ml_client.online_deployments.begin_create_or_update(deployment).result()
    except HttpResponseError as error:
        raise DeploymentError(f"deploying to {endpoint.name}/{deployment.name} failed: "
                              f"{error.message}", details=deployment_logs(ml_client, deployment)
                              ) from None
    endpoint.traffic = {deployment.name: 100}
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()


def deploy_online(model_folder: Path, env: str, version: int | None = None,
                  report: Report = print_line, ml_client=None) -> Deployment:
    """Deploy `version` (default: the latest) of the folder's registered model to the v2
    endpoint of `env`. The files are checked before the workspace is contacted."""
    from shared_code.amltoolbox.serving.smoke_test import smoke_test
    model_folder = Path(model_folder)
    config = load_model_config(model_folder)
    endpoint = load_endpoint(model_folder, env)
    deployment = load_deployment(model_folder, env, endpoint.name)
    if ml_client is None:
        from .ml_client import workspace_ml_client
        ml_client = workspace_ml_client()
    model = registered_model(ml_client, config.model_name, version)
    model_id = f"{model.name}:{model.version}"
    with tempfile.TemporaryDirectory(prefix="deployment-source-") as source:
        complete_deployment(deployment, config, model,
                            deployment_source(model_folder, Path(source)))
        report(f"deploying {model_id} to {env} endpoint {endpoint.name} "
               f"({type(endpoint).__name__}) in workspace {ml_client.workspace_name}")
        roll_out(ml_client, endpoint, deployment)
    scoring_uri = ml_client.online_endpoints.get(endpoint.name).scoring_uri
    report(f"scoring URI: {scoring_uri}")
    key = ml_client.online_endpoints.get_keys(endpoint.name).primary_key
    passed, verdict = smoke_test(model_folder.name, scoring_uri, api_key=key)
    if not passed:
        raise DeploymentError(f"the endpoint {endpoint.name} is up but failed the smoke test: "
                              f"{verdict}", details=deployment_logs(ml_client, deployment))
    report(verdict)
    return Deployment(service_name=endpoint.name, model_id=model_id, scoring_uri=scoring_uri,
                      smoke_test=verdict)


def latest_registered_version(ml_client, name: str) -> int:
    """The newest version of the registered model `name` (for the CI's release artifact)."""
    return int(registered_model(ml_client, name).version)
