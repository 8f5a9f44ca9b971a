"""The environment variables a step's process starts with, as an Azure ML job's.

Three groups, each read by the SDK inside the job:

- the run's scope and token, from which `Run.get_context()` builds the real
  `_SubmittedRun` (azureml/core/run.py:214-230, 263-278);
- the datasets: AZUREML_DATASET_ENVIRONMENT_VARS lists the inputs as `name:mode` and each
  input's variable holds its path, or its saved dataset id for a direct input
  (azureml/core/run.py:2503-2518); AZUREML_DATASET_FILE_OUTPUTS lists the outputs, each
  output's variable holds its path (azureml/core/run.py:2534-2540). Azure ML's data
  runtime also sets AZUREML_DATAREFERENCE_<name> and AZURE_ML_INPUT_<name> /
  AZURE_ML_OUTPUT_<name> to the same paths (azureml/data/context_managers.py:159-160,
  318-321, 945-948);
- the step's own: its environment's variables, then its run configuration's
  (PYTHONPATH among them).

Nothing of the submitting shell's Azure or local-runner settings reaches the job.
"""
import os
from typing import Mapping

from . import identity

# Variables of the submitting machine that a job in Azure ML never sees.
_SUBMITTER_PREFIXES = ("AZUREML_", "AZURE_", "AML_", "PYTHONPATH")
DATASET_INPUTS_VAR = "AZUREML_DATASET_ENVIRONMENT_VARS"
DATASET_OUTPUTS_VAR = "AZUREML_DATASET_FILE_OUTPUTS"
DATA_REFERENCE_PREFIX = "AZUREML_DATAREFERENCE_"
INPUT_PREFIX = "AZURE_ML_INPUT_"
OUTPUT_PREFIX = "AZURE_ML_OUTPUT_"
# The Azure ML SDK sends no usage telemetry from a high-business-impact workspace.
TELEMETRY_OFF = {"HBI_WORKSPACE_JOB": "true"}


def machine_environment(environ: Mapping[str, str]) -> dict:
    """What the compute node gives every process: the machine's variables, without the
    submitter's Azure ML, Azure and local-runner settings."""
    return {key: value for key, value in environ.items()
            if not key.upper().startswith(_SUBMITTER_PREFIXES)}


def run_scope(experiment_name: str, experiment_id: str, run_id: str) -> dict:
    """The variables from which the SDK finds the run, its workspace and its token."""
    return {"AZUREML_RUN_ID": run_id,
            "AZUREML_ARM_SUBSCRIPTION": identity.SUBSCRIPTION_ID,
            "AZUREML_ARM_RESOURCEGROUP": identity.RESOURCE_GROUP,
            "AZUREML_ARM_WORKSPACE_NAME": identity.WORKSPACE_NAME,
            "AZUREML_ARM_PROJECT_NAME": experiment_name,
            "AZUREML_EXPERIMENT_ID": experiment_id,
            "AZUREML_WORKSPACE_ID": identity.WORKSPACE_ID,
            "AZUREML_RUN_TOKEN": identity.run_token(),
            "AZUREML_SERVICE_ENDPOINT": identity.SERVICE_ENDPOINT,
            "AZUREML_DISCOVERY_SERVICE_ENDPOINT": identity.DISCOVERY_URL,
            **TELEMETRY_OFF}


def dataset_variables(inputs: Mapping[str, tuple[str, str]], outputs: Mapping[str, str]) -> dict:
    """The data runtime's variables: `inputs` maps a name to (mode, path or saved id),
    `outputs` a name to its path."""
    variables = {DATASET_INPUTS_VAR: ",".join(f"{name}:{mode}"
                                              for name, (mode, _) in inputs.items())}
    for name, (mode, value) in inputs.items():
        variables[name] = value
        variables[f"{DATA_REFERENCE_PREFIX}{name}"] = value
        if mode != "direct":
            variables[f"{INPUT_PREFIX}{name}"] = value
    if outputs:
        variables[DATASET_OUTPUTS_VAR] = ";".join(outputs)
    for name, path in outputs.items():
        variables[name] = path
        variables[f"{DATA_REFERENCE_PREFIX}{name}"] = path
        variables[f"{OUTPUT_PREFIX}{name}"] = path
    return variables


def job_environment(step_variables: Mapping[str, str], scope: Mapping[str, str],
                    datasets: Mapping[str, str], environ: Mapping[str, str] | None = None) -> dict:
    """The whole environment of a step's process; Azure ML's own variables win over a
    step's variable of the same name."""
    return {**machine_environment(os.environ if environ is None else environ),
            **step_variables, **scope, **datasets}
