"""A model's drift pipeline as an Azure ML SDK v2 pipeline job (`python -m MODEL.aml_pipeline
--drift --sdk v2 --dump FILE`): one command job running drift_step.py, as the SDK v1 drift
pipeline does (drift_pipeline.py), written as YAML with no workspace and checked by
azure-ai-ml's own validation, as the model's training job is (shared_code/aml_sdk_v2).

Its inputs: `model`, the registered version as a custom_model (its files reach the script as
--model-dir), `training_data` and `new_data`, data assets (mltable for Tabular, uri_folder for
File). A dump has no workspace to read the version's lineage from, so `training_data` is the
model's training dataset of config/model_config.yml, its latest version (the version its
`training_data` property names belongs there when that differs), and `model` the version of
--drift-model or the latest. `az ml job create -f FILE` submits it; `az ml schedule` can run
it on a recurrence.
"""
import shlex
from pathlib import Path

import yaml

from shared_code.aml_sdk_v2.code_snapshot import staged_code
from shared_code.aml_sdk_v2.job_environment import job_environment
from shared_code.aml_sdk_v2.job_yaml import (PIPELINE_JOB_SCHEMA, code_relative_to,
                                             load_pipeline_job, with_relative_code)
from shared_code.aml_sdk_v2.pipeline_job import (PYTHONPATH, asset_path, check_pipeline_job,
                                                 dataset_spec, dataset_types)
from shared_code.aml_sdk_v2.step_io import LATEST, STEP_ENV_VAR, URI_FOLDER, InputSpec, StepIO
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import DatasetInput

from .drift_pipeline import SCRIPT, drift_description, drift_experiment, step_arguments
from .drift_step import NEW_INPUT, REPORT_OUTPUT, TRAINING_INPUT

JOB_NAME = "drift_check"  # a v2 node name: letters, digits and underscores
MODEL_INPUT = "model"
CUSTOM_MODEL = "custom_model"
OUTPUT_PATH = ("azureml://datastores/${{default_datastore}}/paths/"
               "drift-checks/${{name}}/${{output_name}}/")


def model_reference(config: ModelConfig, version: int | None) -> tuple[str, str]:
    """(name:version as the step names it, the model asset's path)."""
    if version is None:
        return f"{config.model_name}:{LATEST}", f"azureml:{config.model_name}@{LATEST}"
    return f"{config.model_name}:{version}", f"azureml:{config.model_name}:{version}"


def new_data_spec(config: ModelConfig, new: DatasetInput, training: InputSpec) -> InputSpec:
    """The new data as an input: a dataset of the model's config as declared there, any other
    of the training data's asset type (new data is the same kind of data)."""
    if new.name in dataset_types(config):
        return dataset_spec(config, new, {})
    return InputSpec(type=training.type, dataset=new.name,
                     version=str(new.version) if new.version else LATEST)


def drift_node(config: ModelConfig, new: DatasetInput, version: int | None, code: Path):
    """The command job of the drift check, uploading `code`."""
    from azure.ai.ml import Input, Output, command  # pylint: disable=import-outside-toplevel
    training = DatasetInput(config.dataset("training").name)
    training_spec = dataset_spec(config, training, {})
    io = StepIO(step=JOB_NAME, inputs={TRAINING_INPUT: training_spec,
                                       NEW_INPUT: new_data_spec(config, new, training_spec)},
                outputs=(REPORT_OUTPUT,))
    model_id, model_path = model_reference(config, version)
    command_line = " ".join([
        shlex.join(["python", SCRIPT, *step_arguments(model_id, training, new)]),
        "--model-dir", f"${{{{inputs.{MODEL_INPUT}}}}}", *io.command_arguments()])
    inputs = {name: Input(type=spec.type, path=asset_path(spec), mode="ro_mount")
              for name, spec in io.inputs.items()}
    inputs[MODEL_INPUT] = Input(type=CUSTOM_MODEL, path=model_path, mode="ro_mount")
    return command(name=JOB_NAME, display_name=JOB_NAME, code=str(code), command=command_line,
                   inputs=inputs,
                   outputs={REPORT_OUTPUT: Output(type=URI_FOLDER, path=OUTPUT_PATH,
                                                  mode="rw_mount")},
                   environment=job_environment(config), compute=f"azureml:{config.compute_target}",
                   environment_variables={"PYTHONPATH": PYTHONPATH, STEP_ENV_VAR: io.to_json()},
                   is_deterministic=False)  # new data under the same name: always check again


def drift_code(config: ModelConfig) -> Path:
    """The code the drift job uploads: the model's snapshot with the drift check's own code,
    as its training jobs upload, not the whole repository."""
    return staged_code(config, [], roots=[REPO_ROOT / SCRIPT])


def build_drift_job(config: ModelConfig, experiment_name: str, new: DatasetInput,
                    version: int | None = None, code: Path | None = None):
    """The drift check's azure.ai.ml PipelineJob (its code staged unless given)."""
    # pylint: disable-next=import-outside-toplevel
    from azure.ai.ml.entities import PipelineJob, PipelineJobSettings
    code = code or drift_code(config)
    return PipelineJob(jobs={JOB_NAME: drift_node(config, new, version, code)},
                       experiment_name=drift_experiment(experiment_name),
                       display_name=f"{config.model_name} drift",
                       description=drift_description(config, new),
                       settings=PipelineJobSettings(continue_on_step_failure=False))


def write_drift_job(config: ModelConfig, experiment_name: str, new: DatasetInput, path: Path,
                    version: int | None = None) -> Path:
    """Write the drift job to `path` (code relative to it), load it back and validate it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    code = drift_code(config)
    build_drift_job(config, experiment_name, new, version, code).dump(str(path))
    dumped = yaml.safe_load(path.read_text(encoding="utf-8"))
    relative = with_relative_code(dumped, code.resolve().as_posix(), code_relative_to(path, code))
    path.write_text(yaml.safe_dump({"$schema": PIPELINE_JOB_SCHEMA, **relative}, sort_keys=False,
                                   width=100), encoding="utf-8")
    check_pipeline_job(load_pipeline_job(path))
    return path


def dump_drift_job(config: ModelConfig, experiment_name: str, new: DatasetInput, path: Path,
                   version: int | None, argv: list[str]) -> int:
    """`--drift --sdk v2 --dump FILE`; started without azure-ai-ml, it runs again in the v2
    environment. The exit status."""
    # pylint: disable-next=import-outside-toplevel
    from shared_code.aml_sdk_v2.environment import has_sdk_v2, run_in_v2_environment
    if not has_sdk_v2():
        return run_in_v2_environment(f"{config.folder.name}.aml_pipeline", argv)
    written = write_drift_job(config, experiment_name, new, path, version)
    print(f"wrote {config.folder.name}'s v2 drift job to {written} (validated by azure-ai-ml): "
          f"{new.describe()} against {config.dataset('training').name}@{LATEST}")
    return 0
