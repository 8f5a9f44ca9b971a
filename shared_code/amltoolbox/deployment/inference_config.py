"""A model's inference config (config/inference_config.yml, the format of `az ml model
deploy --ic`), read for `deploy`.

The earlier keys runtime and condaFile are the only way to name a conda file rather than
copy its packages (the SDK warns they are deprecated, azureml/core/model.py:2193-2203, and
builds the environment from them, azureml/_model_management/_util.py:1219-1229): the model's
one config/conda_environment.yml, which its steps use too; deploy builds the Environment
itself, as the SDK does. Paths are relative to sourceDirectory, the repository root ('.').
"""
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..layout import ModelLayout
from .errors import DeploymentConfigError

REPOSITORY_ROOT = "."
RUNTIME = "python"
USED_KEYS = ("entryScript", "sourceDirectory", "runtime", "condaFile")
_IMAGE_OPTION = ("an image option that the Azure ML SDK deprecated in favour of environments "
                 "(azureml/core/model.py:2205-2221)")
# Keys of the format that deploy does not use: refused when set, never silently ignored.
UNUSED_KEYS = {
    "environment": "the environment is built from condaFile, the model's conda file, so that "
                   "the pipeline and the service share one list of packages: put them there",
    "description": "the service is described by MODEL_DESCRIPTION in script_steps/register.py",
    **{key: _IMAGE_OPTION for key in ("extraDockerfileSteps", "extraDockerFileSteps",
                                      "enableGpu", "cudaVersion", "baseImage",
                                      "baseImageRegistry")},
}


@dataclass(frozen=True)
class InferenceSettings:
    """What deploy takes from the inference config."""
    entry_script: str
    conda_file: Path


def read_inference_config(path: Path) -> dict:
    """The file's mapping, or a DeploymentConfigError saying why there is none."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeploymentConfigError(
            f"{path} does not exist: every model folder needs config/inference_config.yml "
            "(entry script and conda file, as `az ml model deploy --ic` reads them); copy "
            "model_a's") from None
    except yaml.YAMLError as error:
        raise DeploymentConfigError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise DeploymentConfigError(f"{path} must be a mapping (entryScript: ..., condaFile: ...)")
    return raw


def _check_keys(raw: dict, path: Path) -> None:
    for key, value in raw.items():
        if key in UNUSED_KEYS and value not in (None, False):
            raise DeploymentConfigError(f"{path}: deploy does not use {key}: {UNUSED_KEYS[key]}. "
                                        "Remove it.")
        if key not in USED_KEYS and key not in UNUSED_KEYS:
            raise DeploymentConfigError(
                f"{path}: {key} is not a key of the inference config format of `az ml model "
                f"deploy --ic`; deploy reads {', '.join(USED_KEYS)}. Check the spelling.")


def _relative_path(raw: dict, key: str, path: Path) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DeploymentConfigError(f"{path}: {key} must name a file, relative to sourceDirectory "
                                    "(the repository root)")
    return Path(value).as_posix()


def parse_inference_config(raw: dict, layout: ModelLayout,
                           path: Path | str = "the inference config") -> InferenceSettings:
    """The entry script (relative to the repository root) and the conda file that `raw` names,
    checked as far as can be done before the SDK sees them."""
    _check_keys(raw, path)
    if Path(str(raw.get("sourceDirectory"))) != Path(REPOSITORY_ROOT):
        raise DeploymentConfigError(
            f"{path}: sourceDirectory must be '{REPOSITORY_ROOT}', the repository root: the entry "
            "script imports shared_code from there, and deploy uploads shared_code/ and "
            f"{layout.name}/ from it")
    if str(raw.get("runtime", "")).lower() != RUNTIME:
        raise DeploymentConfigError(
            f"{path}: runtime must be '{RUNTIME}': with it, the CLI builds the environment from "
            "condaFile")
    root = layout.folder.parent
    entry_script = _relative_path(raw, "entryScript", path)
    if not (root / entry_script).resolve().is_relative_to(layout.folder.resolve()):
        raise DeploymentConfigError(
            f"{path}: entryScript {entry_script} is outside {layout.name}/, so it would not be "
            f"deployed: name a script in {layout.name}/ (the standard's is "
            f"{layout.relative(layout.entry_script)})")
    conda_file = root / _relative_path(raw, "condaFile", path)
    if not conda_file.is_file():
        raise DeploymentConfigError(
            f"{path}: condaFile {raw['condaFile']} does not exist (the standard's is "
            f"{layout.relative(layout.conda_environment)})")
    return InferenceSettings(entry_script=entry_script, conda_file=conda_file)


def load_inference_config(model_folder: Path) -> InferenceSettings:
    """The entry script and conda file of a model folder's config/inference_config.yml."""
    layout = ModelLayout(Path(model_folder).resolve())
    return parse_inference_config(read_inference_config(layout.inference_config), layout,
                                  layout.inference_config)
