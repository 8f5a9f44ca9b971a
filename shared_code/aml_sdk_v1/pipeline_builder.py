"""A model's step list as an Azure ML pipeline: one PythonScriptStep per Step, same names.

- registered datasets arrive `as_named_input(name)` (Tabular as a dataset, File mounted);
- each output is an OutputFileDatasetConfig written under
  /model-in-training/{run-id}/{output-name}/ on the default datastore, passed `as_mount()`;
- a later step reads an earlier step's output `.as_input(name)`, downloaded: those outputs
  (a model, a summary) are small folders that the next step reads whole;
- every step runs the model's script with the model's own snapshot as its
  `source_directory` (model_snapshot.py: its folder and the shared code its steps import,
  with the repository's layout), on the step's compute target and in an Environment made
  from its conda file (the model's own, config/model_config.yml's and
  config/conda_environment.yml, unless the step names others).

So `run.input_datasets[name]` and `run.output_datasets[name]` in a script step resolve to
the same names in Azure ML as under the local runner.
"""
from pathlib import Path
from typing import Sequence

from azureml._project.ignore_file import get_project_ignore_file
from azureml.core import Dataset, Environment
from azureml.core.runconfig import RunConfiguration
from azureml.data import FileDataset, OutputFileDatasetConfig
from azureml.exceptions import UserErrorException
from azureml.pipeline.core import Pipeline
from azureml.pipeline.steps import PythonScriptStep

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import DatasetInput, Step, validate_steps
from shared_code.code_snapshot.model_snapshot import stage_snapshot

OUTPUT_DESTINATION = "/model-in-training/{run-id}/{output-name}/"
# AML starts each step's script in the root of its snapshot, laid out as the repository
# is, so "." on PYTHONPATH lets the scripts import shared_code and their model folder.
STEP_ENVIRONMENT_VARIABLES = {"PYTHONPATH": "."}


def run_configuration(config: ModelConfig, environment: str | None = None) -> RunConfiguration:
    """The environment a step runs in: the conda file `environment` (relative to the model
    folder), by default the model's config/conda_environment.yml."""
    conda_file = config.folder / environment if environment else config.layout.conda_environment
    if not conda_file.is_file():
        raise AzureSetupError(
            f"{conda_file} does not exist: Azure ML builds the environment the steps run in "
            "from it. Add it (model_a/config/conda_environment.yml is an example).")
    run_config = RunConfiguration()
    name = f"{config.model_name}-{conda_file.stem}" if environment else config.model_name
    run_config.environment = Environment.from_conda_specification(
        name=f"{name}-environment", file_path=str(conda_file))
    run_config.environment_variables = dict(STEP_ENVIRONMENT_VARIABLES)
    return run_config


def compute_target(workspace, config: ModelConfig, name: str | None = None):
    """The compute cluster `name` (a step's own), by default the one named in the model's
    config."""
    name = name or config.compute_target
    targets = workspace.compute_targets
    if name not in targets:
        where = ("the step's compute_target in aml_pipeline.py" if name != config.compute_target
                 else f"azureml.compute_target in {config.layout.model_config}")
        raise AzureSetupError(
            f"the compute target '{name}' ({where}) does not exist in workspace "
            f"'{workspace.name}' (it has: {', '.join(sorted(targets)) or 'none'}). Create the "
            "cluster in the workspace, or name an existing one there.")
    return targets[name]


def registered_dataset(workspace, source: DatasetInput):
    """A registered dataset (the latest version unless the step list pins one)."""
    try:
        return Dataset.get_by_name(workspace, source.name, version=source.version or "latest")
    except UserErrorException as error:
        raise AzureSetupError(
            f"dataset {source.describe()} is not registered in workspace '{workspace.name}' "
            f"(Azure ML says: {error.message}). Register it with `python -m "
            f"shared_code.amltoolbox datasets register {source.name} --target azureml ...` "
            "(see --help).") from None


def dataset_input(workspace, input_name: str, source: DatasetInput):
    """A registered dataset as a step input: Tabular as a dataset, File mounted as a folder."""
    consumed = registered_dataset(workspace, source).as_named_input(input_name)
    return consumed.as_mount() if isinstance(consumed.dataset, FileDataset) else consumed


def script_name(config: ModelConfig, step: Step) -> str:
    """The step's script relative to the snapshot root, e.g. model_a/script_steps/train.py."""
    return config.layout.relative(config.layout.script(step.script_name))


def allow_reuse(step: Step) -> bool:
    """AML's allow_reuse for a step.

    A step that compares with the champion never reuses in AML: AML decides reuse from code
    and inputs only, and cannot know that the registered champion has changed since.
    """
    return step.reuse and not step.compares_with_champion


def step_inputs(workspace, step: Step, produced: dict) -> list:
    """A step's inputs by name: registered datasets, and earlier steps' outputs downloaded."""
    return [dataset_input(workspace, name, source) if isinstance(source, DatasetInput)
            else produced[(source.step, source.output)].as_input(name).as_download()
            for name, source in step.inputs.items()]


def step_outputs(step: Step, datastore) -> dict[str, OutputFileDatasetConfig]:
    """A step's outputs by name, each mounted and written under OUTPUT_DESTINATION."""
    return {name: OutputFileDatasetConfig(name=name,
                                          destination=(datastore, OUTPUT_DESTINATION)).as_mount()
            for name in step.outputs}


def source_directory(config: ModelConfig, steps: Sequence[Step],
                     roots: Sequence[Path] = ()) -> Path:
    """The model's snapshot, staged afresh, leaving out what the SDK's own .amlignore check
    excludes (azureml/_project/ignore_file.py:104-116, get_project_ignore_file); `roots` are
    shared scripts a step runs instead of the model's (the batch driver, the drift check)."""
    excluded = get_project_ignore_file(str(REPO_ROOT)).is_file_excluded
    return stage_snapshot(config.layout, {step.script_name for step in steps},
                          lambda path: excluded(str(path)), roots=roots)


def python_script_steps(workspace, config: ModelConfig,
                        steps: Sequence[Step]) -> list[PythonScriptStep]:
    """The model's PythonScriptSteps in `workspace`, wired by the step list's names."""
    validate_steps(steps, config.layout.script_steps)
    datastore = workspace.get_default_datastore()
    computes = {name: compute_target(workspace, config, name)
                for name in dict.fromkeys(step.compute_target for step in steps)}
    run_configs = {name: run_configuration(config, name)
                   for name in dict.fromkeys(step.environment for step in steps)}
    snapshot = str(source_directory(config, steps))
    produced: dict[tuple[str, str], OutputFileDatasetConfig] = {}
    declared = []
    for step in steps:
        inputs = step_inputs(workspace, step, produced)
        outputs = step_outputs(step, datastore)
        produced.update({(step.name, name): output for name, output in outputs.items()})
        declared.append(PythonScriptStep(
            name=step.name, script_name=script_name(config, step),
            source_directory=snapshot, arguments=list(step.arguments),
            inputs=inputs, outputs=list(outputs.values()),
            compute_target=computes[step.compute_target],
            runconfig=run_configs[step.environment], allow_reuse=allow_reuse(step)))
    return declared


def pipeline_description(config: ModelConfig, steps: Sequence[Step]) -> str:
    """How the pipeline shows in the Azure ML studio."""
    return f"{config.model_name}: {' -> '.join(step.name for step in steps)}"


def build_pipeline(workspace, config: ModelConfig, steps: Sequence[Step]) -> Pipeline:
    """The model's azureml.pipeline.core.Pipeline in `workspace`: to validate, submit or publish."""
    return Pipeline(workspace, steps=python_script_steps(workspace, config, steps),
                    description=pipeline_description(config, steps))
