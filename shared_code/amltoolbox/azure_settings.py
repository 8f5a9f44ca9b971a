"""Where an Azure ML workspace is named, for either SDK: config.json or the AZUREML_*
variables; and the error for Azure ML that is not set up as a command needs. Nothing here
imports an SDK: the SDK v1 side (azure/) and the SDK v2 wing (aml_sdk_v2/) both read it."""
from pathlib import Path

from .errors import UserError
from .paths import REPO_ROOT

SUBSCRIPTION_VAR = "AZUREML_SUBSCRIPTION_ID"
RESOURCE_GROUP_VAR = "AZUREML_RESOURCE_GROUP"
WORKSPACE_NAME_VAR = "AZUREML_WORKSPACE_NAME"
WORKSPACE_VARS = (SUBSCRIPTION_VAR, RESOURCE_GROUP_VAR, WORKSPACE_NAME_VAR)

# The tag a registered dataset's content sha256 goes in, whichever SDK registered it.
CONTENT_TAG = "content_sha256"

CONFIG_FILE_LOCATIONS = (Path("config.json"), Path(".azureml") / "config.json")


class AzureSetupError(UserError):
    """A workspace setting, compute target, dataset or environment file is missing; the
    message names it and says how to provide it."""


def find_config_file(start: Path | None = None) -> Path | None:
    """The first config.json in `start` (the current folder), its parents or the repo root."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents, REPO_ROOT):
        for location in CONFIG_FILE_LOCATIONS:
            if (folder / location).is_file():
                return folder / location
    return None
