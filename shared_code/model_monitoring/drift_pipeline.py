"""A model's drift pipeline in Azure ML (SDK v1): one PythonScriptStep running drift_step.py,
the same check as `drift MODEL --dataset NAME`, of a registered dataset against the training
dataset that the model version's lineage names (its `training_data` property).

    python -m MODEL.aml_pipeline --drift --submit | --publish [--schedule daily|weekly]
        [--drift-dataset NAME[:VERSION]] [--drift-model VERSION]
    python -m MODEL.aml_pipeline --drift --emulate-azureml   (drift_emulated.py)
    python -m MODEL.aml_pipeline --drift --sdk v2 --dump FILE   (drift_job_v2.py)

The new data is the model's testing dataset (latest version) unless --drift-dataset names
one; the model version is the latest unless --drift-model names one, looked up when the
pipeline is built, so a published pipeline checks the version it was published for. Its
output `drift_report` (drift_report.json, a plot per drifted feature) goes to the default
datastore under /drift-checks/{run-id}/; on drift the step exits 1 and the run fails, which
is what a schedule's alert or CI gates on.
"""
import json

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import DatasetInput

from .card_facts import TRAINING_DATA
from .drift_step import NEW_INPUT, REPORT_OUTPUT, TRAINING_INPUT
from .model_ref import split_reference

STEP_NAME = "drift-check"  # lowercase, digits and dashes, 3 to 32 characters (the SDK's rule)
SCRIPT = "shared_code/model_monitoring/drift_step.py"  # relative to the snapshot root
OUTPUT_DESTINATION = "/drift-checks/{run-id}/{output-name}/"
# --schedule: azureml.pipeline.core.ScheduleRecurrence's frequency for each choice.
SCHEDULES = {"daily": "Day", "weekly": "Week"}


class DriftPipelineError(UserError):
    """A drift pipeline that cannot be built as asked."""


def drift_experiment(experiment_name: str) -> str:
    """The experiment and pipeline endpoint the drift checks are filed under."""
    return f"{experiment_name}-drift"


def new_dataset(config: ModelConfig, reference: str | None) -> DatasetInput:
    """The data to check: NAME[:VERSION], or the model's testing dataset."""
    if reference is None:
        return DatasetInput(config.dataset("testing").name)
    return DatasetInput(*split_reference(reference, "--drift-dataset"))


def training_dataset_of(model_id: str, properties: dict) -> DatasetInput:
    """The training dataset a registered version's `training_data` property names."""
    recorded = json.loads((properties or {}).get(TRAINING_DATA) or "{}")
    if not recorded:
        raise DriftPipelineError(
            f"{model_id} records no training dataset (no training_data property: it was "
            "registered without a model_info.json naming it); a drift check compares with "
            "the training data: register the model again with one")
    return DatasetInput(*split_reference(next(iter(recorded.values())), "a dataset"))


def registered_version(workspace, config: ModelConfig, version: int | None):
    """The model version to check (the latest without `version`), from the registry."""
    from azureml.core import Model  # pylint: disable=import-outside-toplevel
    from azureml.exceptions import WebserviceException  # pylint: disable=import-outside-toplevel
    try:
        return Model(workspace, name=config.model_name, version=version)
    except WebserviceException:
        wanted = f"{config.model_name}:{version}" if version else config.model_name
        raise DriftPipelineError(
            f"no model {wanted} is registered in workspace '{workspace.name}': register one "
            f"(python -m {config.folder.name}.aml_pipeline --submit) before checking it for "
            "drift") from None


def drift_step(workspace, config: ModelConfig, model, new: DatasetInput):
    """The PythonScriptStep checking `new` against `model`'s training dataset."""
    # pylint: disable=import-outside-toplevel
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.steps import PythonScriptStep

    from shared_code.aml_sdk_v1.pipeline_builder import (compute_target, dataset_input,
                                                               run_configuration,
                                                               source_directory)
    model_id = f"{model.name}:{model.version}"
    training = training_dataset_of(model_id, model.properties)
    output = OutputFileDatasetConfig(
        name=REPORT_OUTPUT, destination=(workspace.get_default_datastore(), OUTPUT_DESTINATION))
    return PythonScriptStep(
        name=STEP_NAME, script_name=SCRIPT,
        # The model's snapshot with the drift check's code, as its training steps upload.
        source_directory=str(source_directory(config, [], roots=[REPO_ROOT / SCRIPT])),
        arguments=step_arguments(model_id, training, new),
        inputs=[dataset_input(workspace, TRAINING_INPUT, training),
                dataset_input(workspace, NEW_INPUT, new)],
        outputs=[output.as_mount()], compute_target=compute_target(workspace, config),
        runconfig=run_configuration(config), allow_reuse=False)


def step_arguments(model_id: str, training: DatasetInput, new: DatasetInput) -> list[str]:
    """What drift_step.py reads: the model version and how to name the two datasets."""
    return ["--model", model_id, "--training-label", f"training dataset {training.describe()}",
            "--new-label", f"dataset {new.describe()}"]


def build_drift_pipeline(workspace, config: ModelConfig, new: DatasetInput,
                         version: int | None = None):
    """The drift Pipeline in `workspace`: to validate, submit, publish or emulate."""
    from azureml.pipeline.core import Pipeline  # pylint: disable=import-outside-toplevel
    model = registered_version(workspace, config, version)
    return Pipeline(workspace, steps=[drift_step(workspace, config, model, new)],
                    description=drift_description(config, new))


def drift_description(config: ModelConfig, new: DatasetInput) -> str:
    """How the drift pipeline shows in the Azure ML studio."""
    return f"{config.model_name}: drift of {new.describe()} against its training data"


def schedule_recurrence(choice: str):
    """The ScheduleRecurrence of --schedule daily|weekly, checked by the SDK."""
    from azureml.pipeline.core import ScheduleRecurrence  # pylint: disable=import-outside-toplevel
    recurrence = ScheduleRecurrence(frequency=SCHEDULES[choice], interval=1)
    recurrence.validate()
    return recurrence


def publish_drift(workspace, config: ModelConfig, experiment_name: str, new: DatasetInput,  # pylint: disable=too-many-arguments
                  version: int | None = None, schedule: str | None = None):
    """Publish the drift pipeline as the default of the drift pipeline endpoint, and with
    `schedule` run it on that recurrence; (published pipeline, endpoint, schedule or None)."""
    # pylint: disable=import-outside-toplevel
    from azureml.pipeline.core import PipelineEndpoint, Schedule

    from shared_code.aml_sdk_v1.pipeline_submission import code_version, find_endpoint
    name = drift_experiment(experiment_name)
    description = drift_description(config, new)
    published = build_drift_pipeline(workspace, config, new, version).publish(
        name=name, description=description, version=code_version(),
        continue_on_step_failure=False)
    endpoint = find_endpoint(workspace, name)
    if endpoint is None:
        endpoint = PipelineEndpoint.publish(workspace, name=name, description=description,
                                            pipeline=published)
    else:
        endpoint.add_default(published)
    scheduled = None
    if schedule:
        scheduled = Schedule.create(workspace, name=f"{name}-{schedule}",
                                    pipeline_id=published.id, experiment_name=name,
                                    recurrence=schedule_recurrence(schedule),
                                    description=f"{description}, {schedule}")
    return published, endpoint, scheduled


def submit_drift(workspace, config: ModelConfig, experiment_name: str, new: DatasetInput,
                 version: int | None = None):
    """Submit the drift pipeline as a run of the drift experiment; the PipelineRun."""
    from azureml.core import Experiment  # pylint: disable=import-outside-toplevel
    pipeline = build_drift_pipeline(workspace, config, new, version)
    return Experiment(workspace, drift_experiment(experiment_name)).submit(pipeline)
