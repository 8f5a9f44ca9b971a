"""The model kit: the checks every model needs, written once and run for every model folder
found by its shape (layout.model_folders()), a new one included with no edit here.

A model's own tests (testing/<model>/) hold only what is particular to it. Integration checks
share the one trained model per model and session that testing/conftest.py's
<folder>_first_run and <folder>_workspace fixtures make; nothing here does work per model
when the tests are collected.
"""
import importlib
from pathlib import Path
from types import ModuleType

import pytest

from serving_helpers import registered_record
from tested_models import model_folders_under_test
from shared_code.amltoolbox.local.models import ModelRecord
from shared_code.amltoolbox.records import RunResult

MODELS = [folder.name for folder in model_folders_under_test()]


@pytest.fixture(name="model", scope="module", params=MODELS)
def fixture_model(request) -> str:
    """A model folder's name, each in turn."""
    return request.param


@pytest.fixture(name="pipeline", scope="module")
def fixture_pipeline(model) -> ModuleType:
    """The model's aml_pipeline module: its CONFIG, declare_steps() and run_pipeline()."""
    return importlib.import_module(f"{model}.aml_pipeline")


@pytest.fixture(name="first_run", scope="module")
def fixture_first_run(request, model) -> tuple[Path, RunResult]:
    """The session's one real run of the model's pipeline: its workspace and how it went."""
    return request.getfixturevalue(f"{model}_first_run")


@pytest.fixture(name="trained_workspace", scope="module")
def fixture_trained_workspace(request, model) -> Path:
    """The session's workspace in which the model's real pipeline has run once (version 1)."""
    return request.getfixturevalue(f"{model}_workspace")


@pytest.fixture(name="record", scope="module")
def fixture_record(model, trained_workspace) -> ModelRecord:
    """Version 1 of the model, as the session's real run registered it."""
    return registered_record(model, trained_workspace, 1)
