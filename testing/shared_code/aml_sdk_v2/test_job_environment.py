"""The v2 jobs' environment: the model's conda file plus the v2 run-time packages, pinned
as the v2 lock pins them."""
import ast
import dataclasses
import importlib.metadata
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.aml_sdk_v2.job_environment import (V2_LOCK, V2_RUNTIME_PACKAGES,
                                                    job_conda_specification,
                                                    locked_versions, read_conda_file,
                                                    runtime_requirements,
                                                    with_runtime_packages)
from shared_code.amltoolbox.paths import REPO_ROOT


def test_the_runtime_packages_are_pinned_by_the_v2_lock():
    versions = locked_versions(V2_LOCK)
    assert runtime_requirements() == [f"{name}=={versions[name]}" for name in V2_RUNTIME_PACKAGES]


@pytest.mark.parametrize("lock_text, message", [
    (None, "does not exist"),
    ("mltable==1.0\n", "does not pin azure-ai-ml, mlflow-skinny, azureml-mlflow"),
])
def test_a_missing_lock_or_pin_says_what_to_do(tmp_path, lock_text, message):
    lock = tmp_path / "requirements-v2.txt"
    if lock_text is not None:
        lock.write_text(lock_text)
    with pytest.raises(AzureSetupError, match=message):
        runtime_requirements(lock)


def test_the_models_own_pin_of_a_runtime_package_is_kept():
    spec = {"dependencies": ["python=3.11", {"pip": ["mltable==0.9", "pandas==3.1.1"]}]}
    merged = with_runtime_packages(spec, ["mltable==1.7.0", "mlflow-skinny==3.15.0"])
    assert merged["dependencies"][1]["pip"] == ["mltable==0.9", "pandas==3.1.1",
                                                "mlflow-skinny==3.15.0"]
    assert spec["dependencies"][1]["pip"] == ["mltable==0.9", "pandas==3.1.1"]  # untouched


def test_a_conda_file_without_a_pip_section_gets_one():
    merged = with_runtime_packages({"dependencies": ["python=3.11"]}, ["mltable==1.7.0"])
    assert merged["dependencies"] == ["python=3.11", {"pip": ["mltable==1.7.0"]}]


def test_every_model_runs_on_its_conda_file(model_pipeline):
    config, _ = model_pipeline
    spec = job_conda_specification(config)
    own = read_conda_file(config)
    assert spec["name"] == own["name"] and spec["channels"] == own["channels"]
    assert set(own["dependencies"][-1]["pip"]) <= set(spec["dependencies"][-1]["pip"])


def test_a_model_without_a_conda_file_is_told_to_add_one(model_pipeline, tmp_path):
    config = dataclasses.replace(model_pipeline[0], folder=tmp_path)
    with pytest.raises(AzureSetupError, match="conda_environment.yml does not exist"):
        read_conda_file(config)


def _v2_path_imports(package: Path, start: str) -> set[str]:
    """Top-level third-party modules that `start` and the package modules it imports (by
    `from .module import`) import, at any depth."""
    found, seen, todo = set(), set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                todo.append(node.module)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names
            and not (REPO_ROOT / name).exists()}


def test_the_v2_job_environment_installs_what_a_v2_step_imports(model_pipeline):
    pytest.importorskip("azure.ai.ml", reason="the SDK v2 tests run in tox -e v2")
    config, _ = model_pipeline
    pip = job_conda_specification(config)["dependencies"][-1]["pip"]
    installed = {canonicalize_name(entry.split("==")[0]) for entry in pip}
    distributions = importlib.metadata.packages_distributions()
    imported = _v2_path_imports(REPO_ROOT / "shared_code" / "aml_sdk_v2", "runtime")
    assert {"mlflow", "mltable", "azure"} <= imported
    missing = {module: distributions.get(module, [module]) for module in imported
               if not {canonicalize_name(d) for d in distributions.get(module, [module])}
               & installed}
    assert not missing, f"the v2 jobs of {config.folder.name} lack: {missing}"
