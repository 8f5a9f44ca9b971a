"""Fixtures of the SDK v2 tests: each model's compiled pipeline job."""
import pytest

from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.layout import model_folders

MODELS = [folder.name for folder in model_folders()]


@pytest.fixture(name="model_pipeline", params=MODELS)
def fixture_model_pipeline(request):
    """(config, steps) of each model folder in turn."""
    return load_pipeline(request.param)
