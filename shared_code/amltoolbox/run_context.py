"""Where a script step runs, and what it talks to there: the run and the model registry; in
an Azure ML job Azure ML's `Run` (SDK v2: a V2Run through MLflow) and the workspace's
registry, under the local runner a LocalRun and the local registry. One runtime object is
chosen once per process from the environment; the local side imports no azureml.
"""
import functools
import os
from pathlib import Path

from .errors import UserError
from .loading import load

STEP_SPEC_ENV_VAR = "AML_LOCAL_STEP_SPEC"
# Set in an SDK v2 job (aml_sdk_v2/step_io.py's STEP_ENV_VAR, which reads it from here): named
# here, so that a local step does not import the v2 step description and its dataclasses.
V2_STEP_ENV_VAR = "AML_SDK_V2_STEP"
AZUREML_RUN_ENV_VAR = "AZUREML_RUN_ID"

# An Azure ML job's runtime, by the variable its job sets; the first set wins (a v2 job may
# set AZUREML_RUN_ID too). Loaded by name: the v2 one is the SDK v2 wing's.
AZURE_RUNTIMES = (
    (V2_STEP_ENV_VAR, "shared_code.aml_sdk_v2.runtime:V2Runtime"),
    (AZUREML_RUN_ENV_VAR, "shared_code.amltoolbox.azure.runtime:AzureRuntime"),
)


class RunContextError(UserError):
    """A script step was started outside both the local runner and Azure ML."""


class Runtime:  # pylint: disable=too-few-public-methods
    """What a step talks to: `run` (the standard's run surface) and `registry` (a
    promotion.registry.Registry). The runtimes have both; this names them (not a
    typing.Protocol: every step process imports this module, and typing is not free)."""
    run: object
    registry: object


@functools.cache
def current_runtime() -> Runtime:
    """The runtime of this process: Azure ML's inside Azure ML, the local runner's here."""
    for variable, runtime in AZURE_RUNTIMES:
        if os.environ.get(variable):
            return load(runtime)()
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
