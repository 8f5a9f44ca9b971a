"""A model's deployment configs (config/deployment_config_<env>.yml, the format of `az ml
model deploy --deploy-config-file`), read by the SDK's own parser through a dict that notes
each key it looks up: a key it never looked up (a misspelled `authEnabled`, which the SDK
would silently ignore) is refused."""
from pathlib import Path
from typing import Any

import yaml

from ..layout import ModelLayout
from .errors import DeploymentConfigError
from .sdk_free import ENVIRONMENTS



def deployment_config_path(model_folder: Path, env: str) -> Path:
    """config/deployment_config_<env>.yml of a model folder."""
    if env not in ENVIRONMENTS:
        raise DeploymentConfigError(f"no deployment environment '{env}'; "
                                    f"use one of {', '.join(ENVIRONMENTS)}")
    return ModelLayout(Path(model_folder)).deployment_config(env)


def read_deployment_config(path: Path) -> dict[str, Any]:
    """The file's mapping, or a DeploymentConfigError saying why there is none."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeploymentConfigError(
            f"{path} does not exist: every model folder needs config/deployment_config_dev.yml "
            "(ACI) and config/deployment_config_prd.yml (AKS); copy model_a's") from None
    except yaml.YAMLError as error:
        raise DeploymentConfigError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise DeploymentConfigError(f"{path} must be a mapping of deployment settings "
                                    "(computeType: ACI, ...)")
    return raw


class _LookupRecorder(dict):
    """A dict (nested dicts too) that adds the dotted path of every key looked up to `seen`."""

    def __init__(self, data: dict, seen: set[str], prefix: str = ""):
        super().__init__({key: _LookupRecorder(value, seen, f"{prefix}{key}.")
                          if isinstance(value, dict) else value for key, value in data.items()})
        self._seen = seen
        self._prefix = prefix

    def _note(self, key) -> None:
        self._seen.add(f"{self._prefix}{key}")

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


def _key_paths(data: dict, prefix: str = ""):
    """Every key's dotted path, parents before their children."""
    for key, value in data.items():
        yield f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _key_paths(value, f"{prefix}{key}.")


def _sdk_parse(raw: dict, seen: set[str], tags: dict | None, description: str | None):
    # Imported on its own, the parser's module fails in a circular import that importing
    # azureml.core.webservice first resolves.
    import azureml.core.webservice  # pylint: disable=unused-import
    from azureml._model_management._util import deploy_config_dict_to_obj
    return deploy_config_dict_to_obj(_LookupRecorder(raw, seen), tags, None, description)


def unknown_keys(raw: dict) -> list[str]:
    """The keys (dotted paths) of `raw` that the SDK's parser never reads, for its computeType."""
    seen: set[str] = set()
    _sdk_parse(raw, seen, None, None)
    unknown: list[str] = []
    for path in _key_paths(raw):
        if path not in seen and not any(path.startswith(f"{parent}.") for parent in unknown):
            unknown.append(path)
    return unknown


def _root_message(error: BaseException) -> str:
    """The message of the innermost cause: the parser wraps the one that says what is wrong."""
    while error.__cause__ is not None:
        error = error.__cause__
    return str(getattr(error, "message", None) or error).strip()


def parse_deployment_config(raw: dict, source: Path | str = "the deployment config",
                            tags: dict | None = None, description: str | None = None):
    """The SDK's deployment configuration for `raw`, checked by the SDK and for unknown keys."""
    from azureml.exceptions import WebserviceException
    try:
        config = _sdk_parse(raw, set(), tags, description)
        config.validate_configuration()
        unknown = unknown_keys(raw)
    except WebserviceException as error:
        raise DeploymentConfigError(
            f"{source}: the Azure ML SDK refuses it: {_root_message(error)}") from None
    if unknown:
        raise DeploymentConfigError(
            f"{source}: the Azure ML SDK does not read {', '.join(unknown)} for computeType "
            f"{raw.get('computeType')} and would silently ignore it. Check the spelling against "
            "the `az ml model deploy --deploy-config-file` format.")
    return config


def load_deployment_config(model_folder: Path, env: str, tags: dict | None = None,
                           description: str | None = None):
    """The SDK's deployment configuration for a model folder's `env` (dev or prd)."""
    path = deployment_config_path(model_folder, env)
    return parse_deployment_config(read_deployment_config(path), path, tags, description)
