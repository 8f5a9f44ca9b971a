"""Fixtures every test folder can use."""
import sys
from pathlib import Path

import pytest

# The tests import the project's packages (shared_code, model_a, ...) and testing_helpers.
_TESTING_DIR = Path(__file__).resolve().parent
for _path in (str(_TESTING_DIR.parent), str(_TESTING_DIR)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from testing_helpers import run_model_pipeline  # pylint: disable=wrong-import-position

from shared_code.amltoolbox import run_context  # pylint: disable=wrong-import-position
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR  # pylint: disable=wrong-import-position


@pytest.fixture
def workspace_dir(tmp_path, monkeypatch) -> Path:
    """An empty local workspace for one test, set as $AML_LOCAL_WORKSPACE."""
    root = tmp_path / "workspace"
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(root))
    return root


@pytest.fixture(autouse=True)
def _fresh_run_context():
    """get_run_context() is cached per process; each test starts without a cached run."""
    run_context.get_run_context.cache_clear()
    yield
    run_context.get_run_context.cache_clear()


@pytest.fixture(scope="session")
def model_a_workspace(tmp_path_factory) -> Path:
    """A workspace in which model_a's real pipeline has run once and registered version 1."""
    root = tmp_path_factory.mktemp("model_a_workspace")
    result = run_model_pipeline("model_a", root)
    assert result.succeeded, result.error
    return root
