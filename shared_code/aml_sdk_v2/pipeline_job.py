"""A model's step list as an Azure ML SDK v2 pipeline job: one command job per Step.

- each step runs `python <model>/script_steps/<script>` with the model's snapshot as its
  code (code_snapshot.py: its folder and the shared code its steps import, laid out as in
  the repository, .amlignore honoured), the one the v1 steps and the emulator use;
- a registered dataset is a data asset input: mltable for Tabular, uri_folder for File;
- each output is a uri_folder on the default datastore under
  model-in-training/${{name}}/${{output_name}}/, where ${{name}} is the step job's name (its
  run id, as SDK v1's {run-id}); a later step reads it by binding to that output;
- every input and output reaches the script as `--name PATH`, and step_io.STEP_ENV_VAR says
  which is which, so get_run_context() gives the step the same surface as locally;
- reuse as in SDK v1: a step that compares with the champion, or says reuse=False, is not
  deterministic, so Azure ML never reuses it.
"""
import shlex
from pathlib import Path
from typing import Mapping, Sequence

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.pipeline import FILE, DatasetInput, Step, validate_steps
from .code_snapshot import staged_code
from .job_environment import job_environment
from .step_io import LATEST, MLTABLE, STEP_ENV_VAR, URI_FOLDER, InputSpec, StepIO

OUTPUT_PATH = ("azureml://datastores/${{default_datastore}}/paths/"
               "model-in-training/${{name}}/${{output_name}}/")
# The job starts in the root of its code (the model's snapshot): "." on PYTHONPATH lets the
# scripts import shared_code and their model folder as packages, as in SDK v1.
PYTHONPATH = "."


def script_path(config: ModelConfig, step: Step) -> str:
    """The step's script relative to the code root, e.g. model_a/script_steps/train.py."""
    return config.layout.relative(config.layout.script(step.script_name))


def is_deterministic(step: Step) -> bool:
    """Whether Azure ML may reuse the step: as SDK v1's allow_reuse, never for a step that
    compares with the champion (Azure ML cannot see that the champion changed)."""
    return step.reuse and not step.compares_with_champion


def dataset_types(config: ModelConfig) -> dict[str, str]:
    """{registered name: v2 asset type} of the datasets the model's config declares."""
    return {spec.name: URI_FOLDER if spec.type == FILE else MLTABLE
            for spec in config.datasets.values()}


def dataset_spec(config: ModelConfig, source: DatasetInput,
                 versions: Mapping[str, str]) -> InputSpec:
    """A registered dataset as a step input: its asset type and version (pinned in the step
    list, else resolved at submission, else the latest)."""
    types = dataset_types(config)
    if source.name not in types:
        raise AzureSetupError(
            f"dataset {source.name} is not declared under datasets: in "
            f"{config.layout.model_config}: declare it there (type tabular or file) so "
            "the v2 job knows whether it is an mltable or a uri_folder asset")
    version = str(source.version) if source.version else versions.get(source.name, LATEST)
    return InputSpec(type=types[source.name], dataset=source.name, version=version)


def asset_path(spec: InputSpec) -> str:
    """The data asset reference: azureml:name:version, or azureml:name@latest."""
    if spec.version == LATEST:
        return f"azureml:{spec.dataset}@{LATEST}"
    return f"azureml:{spec.dataset}:{spec.version}"


def step_io(config: ModelConfig, step: Step, versions: Mapping[str, str]) -> StepIO:
    """What the step's job tells its run context about its arguments."""
    inputs = {name: dataset_spec(config, source, versions) if isinstance(source, DatasetInput)
              else InputSpec(type=URI_FOLDER)
              for name, source in step.inputs.items()}
    return StepIO(step=step.name, inputs=inputs, outputs=tuple(step.outputs))


def command_line(config: ModelConfig, step: Step, io: StepIO) -> str:
    """`python <script> <the step's own arguments> --input ${{inputs.input}} ...`; the
    ${{...}} placeholders stay unquoted, as Azure ML replaces them with plain paths."""
    return " ".join([shlex.join(["python", script_path(config, step), *step.arguments]),
                     *io.command_arguments()])


def command_node(config: ModelConfig, step: Step, io: StepIO, compute: str, environment,
                 code: str):
    """The step's command job; inputs from earlier steps are bound by the caller."""
    from azure.ai.ml import Input, Output, command
    inputs = {name: Input(type=spec.type, path=asset_path(spec), mode="ro_mount")
              if spec.dataset else Input(type=URI_FOLDER, mode="download")
              for name, spec in io.inputs.items()}
    outputs = {name: Output(type=URI_FOLDER, path=OUTPUT_PATH, mode="rw_mount")
               for name in io.outputs}
    return command(name=step.name, display_name=step.name, code=code,
                   command=command_line(config, step, io), inputs=inputs, outputs=outputs,
                   environment=environment, compute=f"azureml:{compute}",
                   environment_variables={"PYTHONPATH": PYTHONPATH, STEP_ENV_VAR: io.to_json()},
                   is_deterministic=is_deterministic(step))


def pipeline_description(config: ModelConfig, steps: Sequence[Step]) -> str:
    """How the pipeline shows in the Azure ML studio (as in SDK v1)."""
    return f"{config.model_name}: {' -> '.join(step.name for step in steps)}"


def build_pipeline_job(config: ModelConfig, steps: Sequence[Step], experiment_name: str,
                       compute: str, dataset_versions: Mapping[str, str] | None = None,
                       reuse: bool = True, code: str | Path | None = None):
    """The model's azure.ai.ml PipelineJob: to dump, validate, submit or publish.

    `dataset_versions` ({name: version}) pins the registered datasets' versions (submission
    resolves them, so lineage names exact versions); `reuse=False` reruns every step, as
    --no-reuse does; `code` is the code root as the job names it (the model's snapshot,
    staged now, unless given).
    """
    from azure.ai.ml.entities import PipelineJob, PipelineJobSettings
    validate_steps(steps, config.layout.script_steps)
    environment = job_environment(config)
    code = code or staged_code(config, steps)
    nodes = {}
    for step in steps:
        io = step_io(config, step, dataset_versions or {})
        node = command_node(config, step, io, compute, environment, str(code))
        for name, source in step.inputs.items():
            if not isinstance(source, DatasetInput):
                # Set as attributes: the inputs' __setattr__ makes the binding to the output.
                setattr(node.inputs, name, getattr(nodes[source.step].outputs, source.output))
                getattr(node.inputs, name).mode = "download"  # small folders read whole
        nodes[step.name] = node
    return PipelineJob(jobs=nodes, experiment_name=experiment_name,
                       display_name=config.model_name,
                       description=pipeline_description(config, steps),
                       settings=PipelineJobSettings(force_rerun=not reuse,
                                                    continue_on_step_failure=False))


def validation_problems(job) -> list[str]:
    """What azure-ai-ml's own validation finds wrong with a job, offline.

    This is the local part of MLClient.jobs.validate (azure/ai/ml/operations/
    _job_operations.py:636); the rest only looks the compute up in the workspace.
    """
    result = job._validate()  # pylint: disable=protected-access
    return [f"{path}: {message}" for path, message in result.error_messages.items()]


def check_pipeline_job(job) -> None:
    """Raise AzureSetupError listing what azure-ai-ml's validation refuses."""
    problems = validation_problems(job)
    if problems:
        raise AzureSetupError("azure-ai-ml refuses the compiled pipeline job:\n  - "
                              + "\n  - ".join(problems))
