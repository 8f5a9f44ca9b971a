"""A model's SDK v2 deployment files, read by azure-ai-ml's own loaders.

config/online_endpoint_<env>.yml and config/online_deployment_<env>.yml are Azure ML v2
YAML (`az ml online-endpoint create -f`, `az ml online-deployment create -f`). The loaders
validate them against the SDK's schemas, which refuse an unknown key rather than ignore it
(a misspelled `auth_mode` would otherwise deploy an open endpoint).
"""
from pathlib import Path

from shared_code.amltoolbox.deployment.sdk_free import ENVIRONMENTS
from shared_code.amltoolbox.deployment.errors import DeploymentConfigError

KEY_AUTH = "key"


def endpoint_file(model_folder: Path, env: str) -> Path:
    """config/online_endpoint_<env>.yml of a model folder."""
    return _config_file(model_folder, "online_endpoint", env)


def deployment_file(model_folder: Path, env: str) -> Path:
    """config/online_deployment_<env>.yml of a model folder."""
    return _config_file(model_folder, "online_deployment", env)


def _config_file(model_folder: Path, kind: str, env: str) -> Path:
    if env not in ENVIRONMENTS:
        raise DeploymentConfigError(f"no deployment environment '{env}'; "
                                    f"use one of {', '.join(ENVIRONMENTS)}")
    path = Path(model_folder) / "config" / f"{kind}_{env}.yml"
    if not path.is_file():
        raise DeploymentConfigError(
            f"{path} does not exist: SDK v2 deployments need config/online_endpoint_<env>.yml "
            "and config/online_deployment_<env>.yml for dev and prd; copy model_a's")
    return path


def _load(loader, path: Path):
    from azure.ai.ml.exceptions import ValidationException
    from marshmallow.exceptions import ValidationError
    try:
        return loader(source=str(path))
    except (ValidationError, ValidationException) as error:
        raise DeploymentConfigError(
            f"{path}: azure-ai-ml refuses it: {' '.join(str(error).split())}") from None


def load_endpoint(model_folder: Path, env: str):
    """The online endpoint of `env`, which must use key authentication."""
    from azure.ai.ml import load_online_endpoint
    path = endpoint_file(model_folder, env)
    endpoint = _load(load_online_endpoint, path)
    if endpoint.auth_mode != KEY_AUTH:
        raise DeploymentConfigError(f"{path}: auth_mode is {endpoint.auth_mode}; the standard "
                                    f"deploys with auth_mode: {KEY_AUTH}")
    return endpoint


def load_deployment(model_folder: Path, env: str, endpoint_name: str):
    """The online deployment of `env`, which must name the endpoint of `env`."""
    from azure.ai.ml import load_online_deployment
    path = deployment_file(model_folder, env)
    deployment = _load(load_online_deployment, path)
    if deployment.endpoint_name != endpoint_name:
        raise DeploymentConfigError(
            f"{path}: endpoint_name is {deployment.endpoint_name}, but "
            f"{endpoint_file(model_folder, env).name} names the endpoint {endpoint_name}; make "
            "them the same")
    return deployment
