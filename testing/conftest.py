"""Fixtures every test folder can use."""
import gc
import os
import sys
from pathlib import Path

import pytest

# The Azure ML SDK sends usage telemetry to Application Insights from the objects that tests
# build offline (datasets, pipelines). Its high-business-impact mode turns that off; it is
# read when azureml is first imported, so it is set before any test module imports it.
os.environ.setdefault("HBI_WORKSPACE_JOB", "true")

# The tests import the project's packages (shared_code, model_a, ...) and testing_helpers.
_TESTING_DIR = Path(__file__).resolve().parent
for _path in (str(_TESTING_DIR.parent), str(_TESTING_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from shared_first_run import (  # pylint: disable=wrong-import-position
    first_run_once, session_folder)
from testing_helpers import run_model_pipeline  # pylint: disable=wrong-import-position
from tested_models import (  # pylint: disable=wrong-import-position
    TESTED_MODELS_ENV_VAR, named_models)

from shared_code.amltoolbox import run_context  # pylint: disable=wrong-import-position
from shared_code.amltoolbox.local.workspace import (  # pylint: disable=wrong-import-position
    LocalWorkspace)
from shared_code.amltoolbox.layout import model_folders  # pylint: disable=wrong-import-position
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR  # pylint: disable=wrong-import-position
from shared_code.amltoolbox.records import RunResult  # pylint: disable=wrong-import-position
from shared_code.warm_steps.client import close_servers  # pylint: disable=wrong-import-position


def pytest_configure(config):  # pylint: disable=unused-argument
    """$TESTED_MODELS may name model folders only: a name mistyped would test nothing."""
    unknown = set(named_models()) - {folder.name for folder in model_folders()}
    if unknown:
        raise pytest.UsageError(
            f"${TESTED_MODELS_ENV_VAR} names {', '.join(sorted(unknown))}, which is no model "
            "folder of this repository: name model folders, or unset it to test them all")


def pytest_report_header(config):  # pylint: disable=unused-argument
    """Say so when the tests of every model folder run for some only."""
    named = named_models()
    if named:
        return (f"model folders tested by the tests of every model: {', '.join(named)} "
                f"(${TESTED_MODELS_ENV_VAR})")
    return None


def pytest_collectstart(collector):
    """No garbage collection while the tests are collected: with a hundred model folders,
    collection makes 10,000 test items, few of them garbage, and Python's collector walked
    them all again and again (2 s of 5.5 s of collection)."""
    if isinstance(collector, pytest.Session):
        gc.disable()


def pytest_collection_finish(session):  # pylint: disable=unused-argument
    """The collected items, imported modules and fixtures live until the session's end:
    frozen, the collector no longer walks them during the tests (nor at pytest's exit)."""
    gc.freeze()
    gc.enable()


def pytest_sessionfinish(session):  # pylint: disable=unused-argument
    """The warm step servers end with the session, so that their coverage data is written
    before pytest-cov combines it (at this process's exit could be too late)."""
    close_servers()


@pytest.fixture
def workspace_dir(tmp_path, monkeypatch) -> Path:
    """An empty local workspace for one test, set as $AML_LOCAL_WORKSPACE."""
    root = tmp_path / "workspace"
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(root))
    return root


@pytest.fixture(name="workspace")
def fixture_workspace(tmp_path):
    """An empty local workspace object for one test (a folder may define its own)."""
    workspace = LocalWorkspace(tmp_path / "ws")
    yield workspace
    workspace.close()


@pytest.fixture(autouse=True)
def _fresh_run_context():
    """get_run_context() is cached per process; each test starts without a cached run."""
    run_context.current_runtime.cache_clear()
    yield
    run_context.current_runtime.cache_clear()


def _trained_workspace_fixtures(model: str) -> dict:
    @pytest.fixture(scope="session")
    def first_run(tmp_path_factory) -> tuple[Path, RunResult]:
        """The model's real pipeline run once in a workspace of its own, registering v1, in
        the whole session (its xdist workers share it): the workspace's root and how the run
        went."""
        root, result = first_run_once(model, session_folder(tmp_path_factory.getbasetemp()),
                                      run_model_pipeline)
        assert result.succeeded, result.error
        return root, result

    @pytest.fixture(scope="session")
    def trained_workspace(request) -> Path:
        """A workspace in which the model's real pipeline has run once and registered v1."""
        return request.getfixturevalue(f"{model}_first_run")[0]
    return {f"{model}_first_run": first_run, f"{model}_workspace": trained_workspace}


# Session fixtures per model folder, <folder>_workspace (model_a_workspace, ...) and the
# <folder>_first_run behind it, found by themselves so that a new model's copied tests have
# theirs with no edit here. Each trains its model once per session (its xdist workers share
# the run: testing/shared_first_run.py), when a test first asks for it: collecting 100 models'
# tests trains nothing.
for _folder in model_folders():
    globals().update(_trained_workspace_fixtures(_folder.name))
