"""Where a step runs: the local runner's LocalRun and registry, or Azure ML's."""
import sys
import types

import pytest
from testing_helpers import make_local_run

from shared_code.amltoolbox.azure.registry import AzureRegistry
from shared_code.amltoolbox.local.local_run import LocalRun
from shared_code.amltoolbox.local.registry import LocalRegistry
from shared_code.amltoolbox.run_context import (AZUREML_RUN_ENV_VAR, STEP_SPEC_ENV_VAR,
                                                RunContextError, get_registry, get_run_context)


def test_under_the_local_runner_the_context_is_the_run_of_the_spec_file(
        tmp_path, monkeypatch, workspace_dir):
    made = make_local_run(tmp_path, outputs=("model",), step="train",
                          workspace_root=workspace_dir)
    monkeypatch.delenv(AZUREML_RUN_ENV_VAR, raising=False)
    monkeypatch.setenv(STEP_SPEC_ENV_VAR, str(made.step_dir / "spec.json"))
    run = get_run_context()
    assert isinstance(run, LocalRun) and run.id == "test_run.train"
    assert get_run_context() is run  # one run per process
    registry = get_registry()
    assert isinstance(registry, LocalRegistry) and registry.models.store.root == workspace_dir
    run.workspace.close()
    made.workspace.close()


def test_inside_azure_ml_the_context_is_azure_mls_run_and_its_workspaces_registry(
        monkeypatch, mocker):
    aml_run = types.SimpleNamespace(experiment=types.SimpleNamespace(workspace="ws"))
    core = types.ModuleType("azureml.core")
    core.Run = mocker.Mock(**{"get_context.return_value": aml_run})
    monkeypatch.setitem(sys.modules, "azureml.core", core)
    monkeypatch.setenv(AZUREML_RUN_ENV_VAR, "aml_run_1")
    assert get_run_context() is aml_run
    registry = get_registry()
    assert isinstance(registry, AzureRegistry) and registry.workspace == "ws"


def test_outside_both_a_step_says_how_to_run_the_pipeline(monkeypatch):
    monkeypatch.delenv(AZUREML_RUN_ENV_VAR, raising=False)
    monkeypatch.delenv(STEP_SPEC_ENV_VAR, raising=False)
    with pytest.raises(RunContextError, match="tox -e pipeline -- MODEL"):
        get_run_context()
