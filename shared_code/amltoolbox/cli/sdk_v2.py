"""The `--sdk v2` side of the core's commands (deploy, release-artifact, datasets register,
and the rerun in the v2 environment): functions of the SDK v2 wing, shared_code/aml_sdk_v2,
named here and loaded only when v2 is chosen."""
from ..loading import load

V2 = "v2"
FUNCTIONS = {
    "has_sdk_v2": "shared_code.aml_sdk_v2.environment:has_sdk_v2",
    "run_in_v2_environment": "shared_code.aml_sdk_v2.environment:run_in_v2_environment",
    "deploy_online": "shared_code.aml_sdk_v2.online_deployment:deploy_online",
    "latest_registered_version":
        "shared_code.aml_sdk_v2.online_deployment:latest_registered_version",
    "workspace_ml_client": "shared_code.aml_sdk_v2.ml_client:workspace_ml_client",
    "register_dataset": "shared_code.aml_sdk_v2.data_assets:register_and_report",
}


def v2_function(name: str):
    """The SDK v2 wing's function `name` (a key of FUNCTIONS), imported now."""
    return load(FUNCTIONS[name])
