"""Where a script step runs, and what it talks to there: the run and the model registry.

    run = get_run_context()
    train = run.input_datasets["train_data"].to_pandas_dataframe()
    model_dir = run.output_datasets["model"]
    run.log("rmse", rmse)

Inside an Azure ML job the run is Azure ML's `Run` (in an SDK v2 job, a V2Run reading its
command line and logging through MLflow) and the registry the workspace's;
under the local runner, a LocalRun and the local workspace's registry. Each side is one
runtime object, chosen once per process from the environment the step was started in.
The local side imports nothing from azureml, which would cost about a second per step.
"""
import functools
import os
from pathlib import Path
from typing import Any, Protocol

from shared_code.aml_sdk_v2.step_io import STEP_ENV_VAR as V2_STEP_ENV_VAR
from .errors import UserError

STEP_SPEC_ENV_VAR = "AML_LOCAL_STEP_SPEC"
AZUREML_RUN_ENV_VAR = "AZUREML_RUN_ID"


class RunContextError(UserError):
    """A script step was started outside both the local runner and Azure ML."""


class Runtime(Protocol):  # pylint: disable=too-few-public-methods
    """What a step talks to: `run` (the standard's run surface) and `registry` (a
    promotion.registry.Registry)."""
    run: Any
    registry: Any


@functools.cache
def current_runtime() -> Runtime:
    """The runtime of this process: Azure ML's inside Azure ML, the local runner's here."""
    if os.environ.get(V2_STEP_ENV_VAR):  # first: a v2 job may set AZUREML_RUN_ID too
        from shared_code.aml_sdk_v2.runtime import V2Runtime
        return V2Runtime()
    if os.environ.get(AZUREML_RUN_ENV_VAR):
        from .azure.runtime import AzureRuntime
        return AzureRuntime()
    spec = os.environ.get(STEP_SPEC_ENV_VAR)
    if spec:
        from .local.local_run import LocalRuntime
        from .local.step_spec import StepSpec
        return LocalRuntime(StepSpec.read(Path(spec)))
    raise RunContextError(
        "this script is a pipeline step and needs a run to read its inputs from: run the "
        "model's pipeline with `tox -e pipeline -- MODEL` (or `python -m shared_code.amltoolbox "
        "run MODEL`), or submit it to Azure ML")


def get_run_context():
    """The current run: Azure ML's inside Azure ML, the local runner's here."""
    return current_runtime().run


def get_registry():
    """The model registry of where the current run is (promotion.registry.Registry)."""
    return current_runtime().registry
