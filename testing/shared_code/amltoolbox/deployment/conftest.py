"""Fixtures for the deployment tests: a model folder to deploy, and stand-ins for the modules
and Azure ML classes a deployment talks to."""
import configparser
import importlib
import re
import shutil
import sys
import types
from pathlib import Path

import pytest

from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.serving.server_entry import SERVER_ENTRY_SCRIPT

# What a deployment reads from a model folder; model_a's real files.
DEPLOYMENT_FILES = ("config/model_config.yml", "script_steps/register.py",
                    "config/conda_environment.yml", "config/inference_config.yml",
                    "config/deployment_config_dev.yml", "config/deployment_config_prd.yml")


@pytest.fixture(name="repo_with_model_a")
def fixture_repo_with_model_a(tmp_path) -> Path:
    """A repository root holding model_a's configs, a minimal entry script and a shared_code
    package with only the toolbox's entry script, which a deployment runs the model's behind."""
    (tmp_path / "shared_code").mkdir()
    (tmp_path / "shared_code" / "__init__.py").write_text("", encoding="utf-8")
    server_entry = tmp_path / SERVER_ENTRY_SCRIPT.relative_to(REPO_ROOT)
    server_entry.parent.mkdir(parents=True)
    shutil.copy(SERVER_ENTRY_SCRIPT, server_entry)
    folder = tmp_path / "model_a"
    for name in DEPLOYMENT_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / "model_a" / name, folder / name)
    (folder / "config" / "entry_script.py").write_text("def init():\n    pass\n", encoding="utf-8")
    (folder / "aml_pipeline.py").write_text("", encoding="utf-8")
    return tmp_path


@pytest.fixture(name="fake_module")
def fixture_fake_module(mocker):
    """Install a module (and its missing parent packages) in sys.modules for one test.

    The deployment imports its collaborators lazily by name, so a test can hand it stand-ins
    for modules it must not run for real (the workspace sign-in, the smoke test, the server).
    """
    def install(dotted: str, **attributes) -> types.ModuleType:
        module = types.ModuleType(dotted)
        module.__dict__.update(attributes)
        installed = {dotted: module}
        parts = dotted.split(".")
        for depth in range(1, len(parts)):
            parent = ".".join(parts[:depth])
            try:
                importlib.import_module(parent)
            except ImportError:
                installed[parent] = types.ModuleType(parent)
        mocker.patch.dict(sys.modules, installed)
        return module
    return install


@pytest.fixture(name="workspace")
def fixture_workspace(mocker):
    """A stand-in for an azureml Workspace."""
    fake = mocker.Mock(name="workspace")
    fake.name = "mlw-test"
    return fake


@pytest.fixture(name="get_workspace")
def fixture_get_workspace(fake_module, mocker, workspace):
    """shared_code.amltoolbox.azure.workspace.get_workspace, answering `workspace`."""
    function = mocker.Mock(return_value=workspace)
    fake_module("shared_code.amltoolbox.azure.workspace", get_workspace=function)
    return function


@pytest.fixture(name="project_python", scope="session")
def fixture_project_python() -> str:
    """The project's Python version, as tox.ini's base_python names it: 3.11."""
    tox = configparser.ConfigParser()
    tox.read(REPO_ROOT / "tox.ini", encoding="utf-8")
    return re.fullmatch(r"python(\d+\.\d+)", tox["testenv"]["base_python"].strip()).group(1)
