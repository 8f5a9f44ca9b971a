"""The environment every v2 job of a model runs in: the model's conda file, plus what a step
needs to talk to Azure ML through SDK v2 (MLflow logging, mltable, the model registry).

Those run-time packages are the same for every model, so they are named once here and their
versions come from the v2 lock (virtualenvs/requirements-v2.txt), with which the tests ran.
The conda file is inlined into the job, so a dumped job reads whole with no other file.
"""
import copy
from pathlib import Path

import yaml

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT

V2_LOCK = REPO_ROOT / "virtualenvs" / "requirements-v2.txt"
# What a step's v2 run context imports: mlflow (the azureml:// tracking URI needs
# azureml-mlflow's plugin), mltable (Tabular inputs) and azure-ai-ml (champion, registry).
V2_RUNTIME_PACKAGES = ("azure-ai-ml", "mltable", "mlflow-skinny", "azureml-mlflow")
# The base image SDK v1 builds conda environments on (azureml/core/environment.py:52).
BASE_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"


def locked_versions(lock: Path = V2_LOCK) -> dict[str, str]:
    """{lower-case name: version} of the `name==version` lines of a lock file."""
    try:
        lines = Path(lock).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise AzureSetupError(f"{lock} does not exist: the v2 jobs install the versions it pins; "
                              "restore it from git") from None
    versions = {}
    for line in lines:
        name, sep, version = line.split("#", 1)[0].strip().partition("==")
        if sep:
            versions[name.strip().lower()] = version.strip()
    return versions


def runtime_requirements(lock: Path = V2_LOCK) -> list[str]:
    """The v2 run-time packages pinned as the v2 lock pins them."""
    versions = locked_versions(lock)
    missing = [name for name in V2_RUNTIME_PACKAGES if name not in versions]
    if missing:
        raise AzureSetupError(f"{lock} does not pin {', '.join(missing)}, which every v2 step "
                              "needs: regenerate the v2 lock from virtualenvs/requirements-v2.in")
    return [f"{name}=={versions[name]}" for name in V2_RUNTIME_PACKAGES]


def read_conda_file(config: ModelConfig) -> dict:
    """The model's conda specification as a mapping."""
    path = config.layout.conda_environment
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AzureSetupError(
            f"{path} does not exist: Azure ML builds the environment the steps run in from it. "
            "Add it (model_a/config/conda_environment.yml is an example).") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("dependencies"), list):
        raise AzureSetupError(f"{path} is not a conda specification with a dependencies list")
    return spec


def with_runtime_packages(spec: dict, requirements: list[str]) -> dict:
    """A copy of a conda specification whose pip list also installs `requirements`
    (a package the model pins already keeps the model's pin)."""
    spec = copy.deepcopy(spec)
    pip_section = next((item for item in spec["dependencies"]
                        if isinstance(item, dict) and "pip" in item), None)
    if pip_section is None:
        pip_section = {"pip": []}
        spec["dependencies"].append(pip_section)
    pinned = {entry.split("==")[0].strip().lower() for entry in pip_section["pip"]}
    pip_section["pip"] = list(pip_section["pip"]) + [
        requirement for requirement in requirements if requirement.split("==")[0] not in pinned]
    return spec


def job_conda_specification(config: ModelConfig, lock: Path = V2_LOCK) -> dict:
    """The conda specification of the model's v2 jobs."""
    return with_runtime_packages(read_conda_file(config), runtime_requirements(lock))


def job_environment(config: ModelConfig, lock: Path = V2_LOCK):
    """The azure.ai.ml Environment of the model's v2 jobs (anonymous: named by its content)."""
    from azure.ai.ml.entities import Environment
    return Environment(image=BASE_IMAGE, conda_file=job_conda_specification(config, lock))
