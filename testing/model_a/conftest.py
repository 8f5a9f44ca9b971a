"""Fixtures for this model's tests: the model the session's real pipeline trained.

<folder>_workspace, a workspace where the real pipeline has run once, is testing/conftest.py's;
what every model needs is tested by testing/model_kit/.
"""
import pytest

from shared_code.amltoolbox.local.workspace import LocalWorkspace

from model_a.aml_pipeline import CONFIG


@pytest.fixture(name="trained_model", scope="module")
def fixture_trained_model(model_a_workspace):
    """The folder of the model the session's real pipeline trained and registered."""
    workspace = LocalWorkspace(model_a_workspace)
    yield workspace.models.get(CONFIG.model_name, 1).path
    workspace.close()
