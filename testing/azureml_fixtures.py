"""Fixtures of the Azure ML tests (the SDK v1 target's and the emulator's): an offline
workspace, model_a's pipeline, no network. Each of their conftest.py files imports them."""
import pytest
from azureml_offline import offline_model_workspace, refuse_connections

from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.pipeline import load_pipeline


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Every Azure test fails if anything tried to open a connection."""
    attempts = refuse_connections(monkeypatch)
    yield
    assert not attempts, f"the test tried to reach the network: {attempts}"


@pytest.fixture(autouse=True)
def local_workspace_of_the_test(tmp_path, monkeypatch):
    """Snapshots are staged, and submissions recorded, in a local workspace of the test's own."""
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(tmp_path / "local-workspace"))


@pytest.fixture(name="model_a")
def fixture_model_a():
    """model_a's CONFIG and STEPS."""
    return load_pipeline("model_a")


@pytest.fixture(name="workspace")
def fixture_workspace(model_a, mocker):
    """An offline workspace where model_a's datasets and compute target exist."""
    return offline_model_workspace(model_a[0], mocker)
