"""A model's SDK v2 batch endpoint and deployment: config/batch_endpoint.yml and
config/batch_deployment.yml, read and checked by azure-ai-ml's own loaders (which refuse an
unknown key), completed here and rolled out by `deploy MODEL --batch --sdk v2`.

The deployment runs parallel_run_driver.py as its scoring script, with the model's
registered version (mounted by Azure ML at $AZUREML_MODEL_DIR), its conda environment and
the settings the driver reads from its environment variables; so the model's own
config/entry_script.py scores each mini-batch, as it answers online.
"""
import tempfile
from pathlib import Path
from typing import Callable

from shared_code.amltoolbox.deployment.errors import DeploymentConfigError

from .batch_command import chunk_size
from .parallel_run_driver import CHUNK_ROWS_ENV_VAR, MODEL_FOLDER_ENV_VAR, MODEL_NAME_ENV_VAR

ENDPOINT_FILE, DEPLOYMENT_FILE = "batch_endpoint.yml", "batch_deployment.yml"
DRIVER = "shared_code/batch_scoring/parallel_run_driver.py"  # in the deployment's code


def batch_file(model_folder: Path, name: str) -> Path:
    """config/<name> of a model folder, which must exist."""
    path = Path(model_folder) / "config" / name
    if not path.is_file():
        raise DeploymentConfigError(f"{path} does not exist: a v2 batch deployment needs "
                                    f"config/{ENDPOINT_FILE} and config/{DEPLOYMENT_FILE}; "
                                    "copy model_a's")
    return path


def _load(loader, path: Path):
    from azure.ai.ml.exceptions import ValidationException
    from marshmallow.exceptions import ValidationError
    try:
        return loader(source=str(path))
    except (ValidationError, ValidationException) as error:
        raise DeploymentConfigError(
            f"{path}: azure-ai-ml refuses it: {' '.join(str(error).split())}") from None


def load_batch_files(model_folder: Path):
    """The batch endpoint and deployment of a model folder, checked by azure-ai-ml; the
    deployment must name the endpoint."""
    from azure.ai.ml import load_batch_deployment, load_batch_endpoint
    endpoint = _load(load_batch_endpoint, batch_file(model_folder, ENDPOINT_FILE))
    path = batch_file(model_folder, DEPLOYMENT_FILE)
    deployment = _load(load_batch_deployment, path)
    if deployment.endpoint_name != endpoint.name:
        raise DeploymentConfigError(f"{path}: endpoint_name is {deployment.endpoint_name}, but "
                                    f"{ENDPOINT_FILE} names the endpoint {endpoint.name}; make "
                                    "them the same")
    return endpoint, deployment


def complete_batch_deployment(deployment, config, model, source: Path) -> None:
    """Fill in the model, its environment, the driver and the driver's settings."""
    from azure.ai.ml.entities import CodeConfiguration, Environment

    from shared_code.aml_sdk_v2.job_environment import BASE_IMAGE, read_conda_file
    from shared_code.amltoolbox.promotion.registry import SHA256_PROPERTY
    from shared_code.amltoolbox.serving.model_loading import EXPECTED_SHA256_ENV_VAR
    deployment.model = model
    deployment.environment = Environment(image=BASE_IMAGE, conda_file=read_conda_file(config))
    deployment.code_configuration = CodeConfiguration(code=str(source), scoring_script=DRIVER)
    settings = {MODEL_FOLDER_ENV_VAR: config.folder.name, MODEL_NAME_ENV_VAR: config.model_name,
                CHUNK_ROWS_ENV_VAR: str(chunk_size(config.folder.name, None))}
    sha256 = (model.properties or {}).get(SHA256_PROPERTY)
    if sha256:
        settings[EXPECTED_SHA256_ENV_VAR] = sha256
    deployment.environment_variables = {**(deployment.environment_variables or {}), **settings}


def deploy_batch(model_folder: Path, version: int | None = None,
                 report: Callable[[str], None] = print, ml_client=None):
    """Create or update the model's batch endpoint and deployment (the endpoint's default);
    the files are checked before the workspace is contacted. The deployment."""
    from shared_code.aml_sdk_v2.online_deployment import registered_model
    from shared_code.amltoolbox.deployment.sdk_free import deployment_source
    from shared_code.amltoolbox.model_config import load_model_config
    model_folder = Path(model_folder)
    config = load_model_config(model_folder)
    endpoint, deployment = load_batch_files(model_folder)
    if ml_client is None:
        from shared_code.aml_sdk_v2.ml_client import workspace_ml_client
        ml_client = workspace_ml_client()
    model = registered_model(ml_client, config.model_name, version)
    with tempfile.TemporaryDirectory(prefix="batch-deployment-source-") as source:
        complete_batch_deployment(deployment, config, model,
                                  deployment_source(model_folder, Path(source)))
        report(f"deploying {model.name}:{model.version} to batch endpoint {endpoint.name} in "
               f"workspace {ml_client.workspace_name}")
        ml_client.batch_endpoints.begin_create_or_update(endpoint).result()
        ml_client.batch_deployments.begin_create_or_update(deployment).result()
    endpoint = ml_client.batch_endpoints.get(endpoint.name)
    endpoint.defaults.deployment_name = deployment.name
    ml_client.batch_endpoints.begin_create_or_update(endpoint).result()
    report(f"batch endpoint {endpoint.name}, default deployment {deployment.name}: score a data "
           f"asset with `az ml batch-endpoint invoke -n {endpoint.name} --input <data asset>`")
    return deployment
