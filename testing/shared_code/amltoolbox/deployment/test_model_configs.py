"""Every model folder's deployment configs and conda environment, checked offline against the
Azure ML SDK and the project's pinned requirements. New model folders are covered by themselves."""
import ast
import functools
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tested_models import model_folders_under_test
from shared_code.amltoolbox.deployment.azure_service import build_inference_config
from shared_code.amltoolbox.deployment.deploy_config import (ENVIRONMENTS,
                                                             deployment_config_path,
                                                             load_deployment_config,
                                                             read_deployment_config, unknown_keys)
from shared_code.amltoolbox.deployment.sdk_free import deployment_source
from shared_code.amltoolbox.deployment.inference_config import (USED_KEYS, load_inference_config,
                                                                read_inference_config)
from shared_code.amltoolbox.layout import ModelLayout
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.serving.server_entry import MODEL_ENTRY_SCRIPT_ENV_VAR

MODELS = model_folders_under_test()
MODEL_IDS = [folder.name for folder in MODELS]
# Azure installs the full wheel where the local lock takes the smaller CPU-only one.
AZURE_NAME_OF_LOCAL = {"xgboost-cpu": "xgboost"}
# A step takes the SDK v2 path only in a v2 job, whose environment adds the v2 run-time
# packages to the conda file: testing/shared_code/aml_sdk_v2 checks that path.
V2_PACKAGE = "shared_code.aml_sdk_v2"
EXPECTED_COMPUTE = {"dev": "AciServiceDeploymentConfiguration",
                    "prd": "AksServiceDeploymentConfiguration"}


def _pins(lines) -> dict[str, str]:
    """{canonical name: version} of `name==version` requirement lines."""
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", f"{line} is not pinned with =="
            pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


LOCK = _pins((REPO_ROOT / "virtualenvs" / "requirements.txt").read_text(encoding="utf-8")
             .splitlines())


def _conda(folder: Path):
    from azureml.core.conda_dependencies import CondaDependencies
    return CondaDependencies(
        conda_dependencies_file_path=str(ModelLayout(folder).conda_environment))


@pytest.mark.parametrize("env", ENVIRONMENTS)
@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_each_deployment_config_is_read_whole_by_the_sdk(folder, env):
    raw = read_deployment_config(deployment_config_path(folder, env))
    assert not unknown_keys(raw)
    config = load_deployment_config(folder, env)
    assert type(config).__name__ == EXPECTED_COMPUTE[env]
    assert config.cpu_cores and config.memory_gb


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_prd_is_authenticated_autoscaled_and_monitored(folder):
    config = load_deployment_config(folder, "prd")
    assert config.auth_enabled or config.token_auth_enabled
    assert config.autoscale_enabled and config.autoscale_min_replicas >= 2
    assert config.autoscale_max_replicas >= config.autoscale_min_replicas
    assert config.enable_app_insights
    assert config.compute_target_name, "prd names the AKS cluster it deploys to"


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_conda_file_names_the_projects_python(folder, project_python):
    conda = _conda(folder)
    assert conda.get_python_version() == project_python
    assert "pip" in [re.split(r"[=<>]", package)[0] for package in conda.conda_packages]


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_conda_pip_requirements_are_the_local_pins(folder):
    conda_pins = _pins(_conda(folder).pip_packages)
    local_names = {AZURE_NAME_OF_LOCAL.get(name, name): name for name in LOCK}
    not_locked = sorted(set(conda_pins) - set(local_names))
    assert not not_locked, f"{folder.name} installs {not_locked} in Azure, which the local " \
                           "lock (virtualenvs/requirements.txt) does not pin: no test ran with it"
    differing = {name: (version, LOCK[local_names[name]]) for name, version in conda_pins.items()
                 if LOCK[local_names[name]] != version}
    assert not differing, \
        f"{folder.name}'s conda file and the lock differ (conda, lock): {differing}"


def _module_file(module: str) -> Path | None:
    """The repository file of an importable module name, or None when it is not ours."""
    path = REPO_ROOT.joinpath(*module.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(file: Path) -> set[str]:
    package = ".".join(file.relative_to(REPO_ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _third_party_imports(start: list[Path]) -> set[str]:
    """Top-level third-party modules imported by `start` and the repository modules they import."""
    seen, todo, third_party = set(), list(start), set()
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        for module in _imported_modules(file):
            ours = _module_file(module)
            if ours is not None:
                if not module.startswith(V2_PACKAGE):
                    todo.append(ours)
            elif module.split(".")[0] not in sys.stdlib_module_names and \
                    _module_file(module.split(".")[0]) is None:
                third_party.add(module.split(".")[0])
    return third_party


@functools.cache
def _distributions_of_modules() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_conda_file_installs_what_the_steps_and_entry_script_import(folder):
    layout = ModelLayout(folder)
    scripts = [*sorted(layout.script_steps.glob("*.py")), layout.model_module,
               layout.entry_script]
    installed = set(_pins(_conda(folder).pip_packages))
    distributions = _distributions_of_modules()
    missing = {}
    for module in sorted(_third_party_imports([s for s in scripts if s.is_file()])):
        providers = {AZURE_NAME_OF_LOCAL.get(name, name)
                     for name in map(canonicalize_name, distributions.get(module, [module]))}
        if not providers & installed:
            missing[module] = sorted(providers)
    assert not missing, f"{folder.name}'s conda file lacks what these imports need: {missing}"


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_inference_config_builds_with_the_real_sdk(folder, tmp_path):
    source = deployment_source(folder, tmp_path / "source")
    config = build_inference_config(folder, load_model_config(folder).model_name, source)
    model_entry_script = config.environment.environment_variables[MODEL_ENTRY_SCRIPT_ENV_VAR]
    assert model_entry_script == f"{folder.name}/config/entry_script.py"
    assert (source / model_entry_script).is_file() and (source / config.entry_script).is_file()
    pip = list(config.environment.python.conda_dependencies.pip_packages)
    assert any(p.startswith("azureml-inference-server-http==") for p in pip)


@pytest.mark.parametrize("folder", MODELS, ids=MODEL_IDS)
def test_the_inference_config_names_the_models_entry_script_and_its_one_conda_file(folder):
    """Local serving runs config/entry_script.py, and the pipeline's steps use
    config/conda_environment.yml: the inference config names the same files, not copies."""
    layout = ModelLayout(folder)
    assert set(read_inference_config(layout.inference_config)) == set(USED_KEYS)
    settings = load_inference_config(folder)
    assert settings.entry_script == layout.relative(layout.entry_script)
    assert settings.conda_file == layout.conda_environment
    assert (REPO_ROOT / settings.entry_script).is_file() and settings.conda_file.is_file()
