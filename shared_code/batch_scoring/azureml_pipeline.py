"""A model's batch scoring pipeline in Azure ML (SDK v1): one ParallelRunStep over a
registered dataset (Tabular or File), running parallel_run_driver.py, which adapts the
model's own entry script; its answers appended to one CSV file on the default datastore.

`python -m MODEL.aml_pipeline --batch --submit | --publish [--batch-dataset NAME[:VERSION]]`
(the dataset: the model's testing dataset unless given). Built from the same snapshot as
the training pipeline (the repository root, its .amlignore) and the same environment.
"""
import sys
from pathlib import Path

from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import DatasetInput

from .batch_command import chunk_size, split_reference

STEP_NAME = "batch-score"  # lowercase, digits and dashes, 3 to 32 characters (the SDK's rule)
INPUT_NAME = "scoring_data"
OUTPUT_NAME = "scores"
ANSWERS_FILE = "scores.csv"
OUTPUT_DESTINATION = "/batch-scoring/{run-id}/{output-name}/"
DRIVER = Path(__file__).resolve().with_name("parallel_run_driver.py")
DATASET_RUNTIME = "azureml-dataset-runtime"
# What ParallelRunStep needs to read a dataset into mini-batches (mounted files, DataFrames):
# the SDK warns without it (azureml/pipeline/core/_parallel_run_step_base.py:70-96, 560).
PARALLEL_RUN_EXTRAS = "[fuse,pandas]"
MINI_BATCH_FILES = 100          # images per run() call of a File dataset
MINI_BATCH_TABLE_SIZE = "1MB"   # data per run() call of a Tabular dataset (the SDK's default)
RUN_INVOCATION_SECONDS = 600


def batch_experiment(experiment_name: str) -> str:
    """The experiment and pipeline endpoint the batch runs are filed under."""
    return f"{experiment_name}-batch"


def scoring_dataset(config: ModelConfig, reference: str | None) -> DatasetInput:
    """The dataset to score: NAME[:VERSION], or the model's testing dataset."""
    if reference is None:
        return DatasetInput(config.dataset("testing").name)
    return DatasetInput(*split_reference(reference, "--batch-dataset"))


def batch_step(workspace, config: ModelConfig, dataset: DatasetInput,  # pylint: disable=too-many-arguments
               model_version: str = "latest", max_rejects: int | None = None):
    """The ParallelRunStep scoring `dataset` with the model's registered version."""
    from azureml.data import FileDataset, OutputFileDatasetConfig
    from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

    from shared_code.aml_sdk_v1.pipeline_builder import (STEP_ENVIRONMENT_VARIABLES,
                                                               compute_target,
                                                               registered_dataset,
                                                               run_configuration,
                                                               source_directory)
    consumed = registered_dataset(workspace, dataset).as_named_input(INPUT_NAME)
    is_file = isinstance(consumed.dataset, FileDataset)
    config_ = ParallelRunConfig(
        environment=batch_environment(run_configuration(config).environment),
        entry_script=DRIVER.relative_to(REPO_ROOT.resolve()).as_posix(),
        # The model's snapshot, as its training steps upload: not the whole repository.
        source_directory=str(source_directory(config, [], roots=[DRIVER])),
        # Items left out of run()'s answer are failures; -1 lets them all through.
        error_threshold=-1 if max_rejects is None else max_rejects,
        output_action="append_row", append_row_file_name=ANSWERS_FILE,
        compute_target=compute_target(workspace, config), node_count=1,
        mini_batch_size=str(MINI_BATCH_FILES) if is_file else MINI_BATCH_TABLE_SIZE,
        run_invocation_timeout=RUN_INVOCATION_SECONDS,
        environment_variables=dict(STEP_ENVIRONMENT_VARIABLES))
    output = OutputFileDatasetConfig(
        name=OUTPUT_NAME, destination=(workspace.get_default_datastore(), OUTPUT_DESTINATION))
    # ParallelRunStep puts its source_directory first on this process's sys.path
    # (azureml/pipeline/core/_parallel_run_step_base.py:437-450, _validate_source_directory):
    # this process goes on importing the repository's modules, not the snapshot's copies.
    search_path = list(sys.path)
    try:
        return ParallelRunStep(
            name=STEP_NAME, parallel_run_config=config_,
            inputs=[consumed.as_mount() if is_file else consumed], output=output,
            arguments=driver_arguments(config, model_version), allow_reuse=False)
    finally:
        sys.path[:] = search_path


def batch_environment(environment):
    """The model's environment, its azureml-dataset-runtime pin given the extras
    ParallelRunStep reads datasets with (same version); the model's own file is unchanged."""
    dependencies = environment.python.conda_dependencies
    for package in list(dependencies.pip_packages):
        if package.startswith(DATASET_RUNTIME) and not package.startswith(
                DATASET_RUNTIME + PARALLEL_RUN_EXTRAS):
            dependencies.remove_pip_package(package)
            dependencies.add_pip_package(DATASET_RUNTIME + PARALLEL_RUN_EXTRAS +
                                         package[len(DATASET_RUNTIME):].lstrip())
    return environment


def driver_arguments(config: ModelConfig, model_version: str = "latest") -> list[str]:
    """What parallel_run_driver.init() reads: the model's folder, name, version, chunk size."""
    return ["--model-folder", config.folder.name, "--model-name", config.model_name,
            "--model-version", model_version,
            "--chunk-rows", str(chunk_size(config.folder.name, None))]


def build_batch_pipeline(workspace, config: ModelConfig, dataset: DatasetInput, **options):
    """The batch scoring Pipeline in `workspace`: to validate, submit or publish."""
    from azureml.pipeline.core import Pipeline
    return Pipeline(workspace, steps=[batch_step(workspace, config, dataset, **options)],
                    description=batch_description(config, dataset))


def batch_description(config: ModelConfig, dataset: DatasetInput) -> str:
    """How the batch pipeline shows in the Azure ML studio."""
    return f"{config.model_name}: batch scoring of {dataset.describe()}"


def submit_batch(config: ModelConfig, experiment_name: str, dataset: DatasetInput,
                 workspace=None):
    """Submit the batch pipeline as a run of the batch experiment; the PipelineRun."""
    from azureml.core import Experiment

    from shared_code.amltoolbox.azure.workspace import get_workspace
    workspace = workspace or get_workspace()
    pipeline = build_batch_pipeline(workspace, config, dataset)
    return Experiment(workspace, batch_experiment(experiment_name)).submit(pipeline)


def publish_batch(config: ModelConfig, experiment_name: str, dataset: DatasetInput,
                  workspace=None):
    """Publish the batch pipeline as the default of the batch pipeline endpoint; the
    published pipeline and the endpoint."""
    from azureml.pipeline.core import PipelineEndpoint

    from shared_code.aml_sdk_v1.pipeline_submission import code_version, find_endpoint
    from shared_code.amltoolbox.azure.workspace import get_workspace
    workspace = workspace or get_workspace()
    name = batch_experiment(experiment_name)
    description = batch_description(config, dataset)
    published = build_batch_pipeline(workspace, config, dataset).publish(
        name=name, description=description, version=code_version(),
        continue_on_step_failure=False)
    endpoint = find_endpoint(workspace, name)
    if endpoint is None:
        endpoint = PipelineEndpoint.publish(workspace, name=name, description=description,
                                            pipeline=published)
    else:
        endpoint.add_default(published)
    return published, endpoint


def run_batch_command(config: ModelConfig, experiment_name: str, submit: bool,
                      dataset_reference: str | None) -> int:
    """`aml_pipeline.py --batch --submit|--publish`: print what was done; the exit status."""
    dataset = scoring_dataset(config, dataset_reference)
    if submit:
        run = submit_batch(config, experiment_name, dataset)
        print(f"submitted {config.folder.name}'s batch scoring of {dataset.describe()} to "
              f"experiment '{batch_experiment(experiment_name)}': run {run.id}\n  "
              f"{run.get_portal_url()}\n  answers: output '{OUTPUT_NAME}', file {ANSWERS_FILE}")
        return 0
    published, endpoint = publish_batch(config, experiment_name, dataset)
    print(f"published {config.folder.name}'s batch scoring pipeline {published.id} as the "
          f"default of pipeline endpoint '{endpoint.name}'\n  {endpoint.endpoint}")
    return 0


def run_emulated_batch(config: ModelConfig, steps, experiment_name: str,
                       dataset_reference: str | None, **options) -> int:
    """The batch scoring pipeline under the Azure ML emulator (shared_code/aml_emulator), built
    as --submit builds it; the steps' datasets registered there first, as for training."""
    from shared_code.aml_emulator.command import run_emulated
    from shared_code.aml_emulator.sdk_check import require_sdk
    from shared_code.amltoolbox.pipeline import Step
    require_sdk(config.folder.name)
    dataset = scoring_dataset(config, dataset_reference)
    # The datasets the emulator registers in its workspace are those steps read.
    reads = Step(STEP_NAME, DRIVER.name, inputs={INPUT_NAME: dataset})
    return run_emulated(config, [*steps, reads], batch_experiment(experiment_name),
                        build=lambda workspace: build_batch_pipeline(workspace, config, dataset),
                        **options)


def run_target(args, config: ModelConfig, steps, experiment_name: str) -> int:
    """The `batch` target of aml_pipeline.py's command line (cli/pipeline_cli.py's TARGETS):
    the batch scoring pipeline instead of the training steps."""
    if args.emulate_azureml:
        return run_emulated_batch(config, steps, experiment_name, args.batch_dataset)
    return run_batch_command(config, experiment_name, args.submit, args.batch_dataset)
