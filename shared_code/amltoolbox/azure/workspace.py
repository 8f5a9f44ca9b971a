"""The Azure ML workspace to work in, and how to sign in to it.

The workspace comes from a config.json (the current folder, its parents or the repository
root, directly or under .azureml/), else the AZUREML_* variables. Sign-in is by service
principal when the AZURE_* variables are set (CI), else interactive (reusing `az login`); no
secret is written or printed. Azure out of reach is one line naming the host, no traceback.
"""
import contextlib
import logging
import os
import socket
import urllib.parse
from pathlib import Path
from typing import Mapping

from ..azure_settings import (RESOURCE_GROUP_VAR, SUBSCRIPTION_VAR, WORKSPACE_NAME_VAR,
                              WORKSPACE_VARS, AzureSetupError, find_config_file)
from ..paths import REPO_ROOT

TENANT_VAR = "AZURE_TENANT_ID"
CLIENT_ID_VAR = "AZURE_CLIENT_ID"
CLIENT_SECRET_VAR = "AZURE_CLIENT_SECRET"
SERVICE_PRINCIPAL_VARS = (TENANT_VAR, CLIENT_ID_VAR, CLIENT_SECRET_VAR)


def _missing(names: tuple[str, ...], environ: Mapping[str, str]) -> list[str]:
    return [name for name in names if not environ.get(name)]


def service_principal_auth(environ: Mapping[str, str]):
    """Service-principal sign-in from the environment, or None when none of its variables is set."""
    missing = _missing(SERVICE_PRINCIPAL_VARS, environ)
    if len(missing) == len(SERVICE_PRINCIPAL_VARS):
        return None
    if missing:
        raise AzureSetupError(
            f"service-principal sign-in needs {', '.join(SERVICE_PRINCIPAL_VARS)}; "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set. Set "
            f"{'it' if len(missing) == 1 else 'them'} (in CI, from the pipeline's secret "
            "variables), or unset all three to sign in interactively.")
    from azureml.core.authentication import ServicePrincipalAuthentication
    return ServicePrincipalAuthentication(tenant_id=environ[TENANT_VAR],
                                          service_principal_id=environ[CLIENT_ID_VAR],
                                          service_principal_password=environ[CLIENT_SECRET_VAR])


def _no_workspace_message(missing: list[str], start: Path | None) -> str:
    searched = Path(start or Path.cwd()).resolve()
    return (f"no Azure ML workspace is configured: {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not set and there is no config.json in "
            f"{searched}, its parents or {REPO_ROOT} (nor under .azureml/). Either download "
            "config.json from the workspace's overview page in the Azure portal into the "
            f"repository root, or set {', '.join(WORKSPACE_VARS)}. In CI, also set "
            f"{', '.join(SERVICE_PRINCIPAL_VARS)} for service-principal sign-in.")


# The SDK warns on its own that it cannot load the cloud's metadata when Azure is out of reach
# (azureml/_vendor/azure_cli_core/azureml_cloud.py:118), before the error this module reports.
_CLOUD_METADATA_LOGGER = "azureml._vendor.azure_cli_core.azureml_cloud"


def network_failure(error: BaseException) -> str | None:
    """'<host>: <what failed>' when `error`, or an error it came from, is a failure to reach a
    host over the network; None otherwise."""
    import requests
    from urllib3.exceptions import NameResolutionError
    host, failure, seen = None, None, set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        request = getattr(error, "request", None)
        if host is None and getattr(request, "url", None):
            host = urllib.parse.urlsplit(request.url).hostname
        if isinstance(error, (socket.gaierror, NameResolutionError)):
            failure = "its name could not be resolved"
            break
        if isinstance(error, (requests.exceptions.Timeout, TimeoutError)):
            failure = "the connection timed out"
            break
        if isinstance(error, (requests.exceptions.ConnectionError, ConnectionError)):
            failure = getattr(error, "strerror", None) or failure or "the connection failed"
        error = error.__cause__ or error.__context__
    return f"{host or 'Azure'}: {failure}" if failure else None


def get_workspace(environ: Mapping[str, str] | None = None, start: Path | None = None):
    """The azureml.core.Workspace the settings point at (see the module's docstring)."""
    environ = os.environ if environ is None else environ
    auth = service_principal_auth(environ)
    config_file = find_config_file(start)
    missing = _missing(WORKSPACE_VARS, environ)
    if config_file is None and missing:
        raise AzureSetupError(_no_workspace_message(missing, start))
    where = (str(config_file) if config_file is not None
             else f"{WORKSPACE_NAME_VAR}={environ[WORKSPACE_NAME_VAR]}, "
                  f"{RESOURCE_GROUP_VAR}={environ[RESOURCE_GROUP_VAR]}")
    with _azure_out_of_reach(where):
        return _open_workspace(config_file, environ, auth, where)


def _open_workspace(config_file: Path | None, environ: Mapping[str, str], auth, where: str):
    from azureml.core import Workspace
    from azureml.exceptions import AzureMLException
    try:
        if config_file is not None:
            return Workspace.from_config(path=str(config_file), auth=auth)
        return Workspace.get(name=environ[WORKSPACE_NAME_VAR], auth=auth,
                             subscription_id=environ[SUBSCRIPTION_VAR],
                             resource_group=environ[RESOURCE_GROUP_VAR])
    except AzureMLException as error:
        if network_failure(error):
            raise
        raise AzureSetupError(
            f"could not open the Azure ML workspace set by {where}: {error.message}. Check the "
            "names, and that the signed-in identity has access to the workspace.") from None


@contextlib.contextmanager
def _azure_out_of_reach(where: str):
    """A network failure inside the block as one AzureSetupError naming the host."""
    metadata_logger = logging.getLogger(_CLOUD_METADATA_LOGGER)
    level = metadata_logger.level
    metadata_logger.setLevel(logging.ERROR)
    try:
        yield
    except Exception as error:  # pylint: disable=broad-exception-caught
        reason = network_failure(error)
        if reason is None:
            raise
        raise AzureSetupError(
            f"cannot reach Azure to open the Azure ML workspace set by {where} ({reason}): "
            "check this machine's network connection, and HTTPS_PROXY if it reaches the "
            "internet through a proxy, then run the command again") from None
    finally:
        metadata_logger.setLevel(level)
