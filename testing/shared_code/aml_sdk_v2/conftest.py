"""Fixtures of the SDK v2 tests: each model's compiled pipeline job."""
import pytest

from tested_models import model_folders_under_test
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.pipeline import load_pipeline

MODELS = [folder.name for folder in model_folders_under_test()]


@pytest.fixture(name="model_pipeline", params=MODELS)
def fixture_model_pipeline(request):
    """(config, steps) of each model folder in turn."""
    return load_pipeline(request.param)


@pytest.fixture(autouse=True)
def _local_workspace_of_the_test(tmp_path, monkeypatch):
    """Snapshots are staged, and submissions recorded, in a workspace of the test's own."""
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(tmp_path / "local-workspace"))
