"""A model's pipeline as data: the steps, their named inputs and outputs, and reuse.

A model's `aml_pipeline.py` declares its list of `Step`s once, in `declare_steps()`. The
local runner (`local/runner.py`) and the Azure ML builder (`aml_sdk_v1/pipeline_builder.py`)
both read that list, so a step runs under the same names in both places.
"""
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Mapping, Sequence, Union

from .errors import UserError
from .layout import model_folder

TABULAR = "tabular"
FILE = "file"
DATASET_TYPES = (TABULAR, FILE)


class PipelineDefinitionError(UserError):
    """The step list of an aml_pipeline.py is not a valid pipeline."""


@dataclass(frozen=True)
class DatasetInput:
    """A registered dataset fed to a step: Tabular ones as a dataset, File ones mounted."""
    name: str
    version: int | None = None  # None: the latest version

    def describe(self) -> str:
        """name:version as the user wrote it."""
        return f"{self.name}:{self.version or 'latest'}"


@dataclass(frozen=True)
class StepOutputRef:
    """The named output of an earlier step, fed to a later step as a folder."""
    step: str
    output: str

    def describe(self) -> str:
        """step.output"""
        return f"{self.step}.{self.output}"


StepInput = Union[DatasetInput, StepOutputRef]


@dataclass(frozen=True)
class Step:  # pylint: disable=too-many-instance-attributes  # a PythonScriptStep's settings
    """One script step: `script_name` is a file in the model's script_steps/ folder; `reuse`
    mirrors AML's allow_reuse; a step that `compares_with_champion` (evaluate) is reused only
    while the champion is unchanged. `compute_target` and `environment` (a conda file) are
    Azure ML's, the model's own (config/model_config.yml) by default."""
    name: str
    script_name: str
    inputs: Mapping[str, StepInput] = field(default_factory=dict)
    outputs: Sequence[str] = ()
    arguments: Sequence[str] = ()
    reuse: bool = True
    compares_with_champion: bool = False
    compute_target: str | None = None
    environment: str | None = None


def registered(name: str, version: int | None = None) -> DatasetInput:
    """A registered dataset by name (and version; the latest when omitted)."""
    return DatasetInput(name, version)


def output_of(step: str, output: str) -> StepOutputRef:
    """The output `output` of the earlier step `step`."""
    return StepOutputRef(step, output)


def validate_steps(steps: Sequence[Step], script_dir: Path) -> None:
    """Check a step list before anything runs; raise PipelineDefinitionError saying what to fix."""
    problems = []
    outputs_so_far: dict[str, set[str]] = {}
    for step in steps:
        if step.name in outputs_so_far:
            problems.append(f"two steps are called '{step.name}': step names must be unique")
        if not (script_dir / step.script_name).is_file():
            problems.append(f"step '{step.name}': script {script_dir / step.script_name} does "
                            "not exist")
        for input_name, source in step.inputs.items():
            if not isinstance(source, (DatasetInput, StepOutputRef)):
                problems.append(f"step '{step.name}': input '{input_name}' must be "
                                "registered(...) or output_of(...)")
            elif isinstance(source, StepOutputRef):
                if source.step not in outputs_so_far:
                    problems.append(f"step '{step.name}': input '{input_name}' reads from "
                                    f"'{source.step}', which is not an earlier step")
                elif source.output not in outputs_so_far[source.step]:
                    problems.append(f"step '{step.name}': step '{source.step}' has no output "
                                    f"'{source.output}' (it has: "
                                    f"{', '.join(sorted(outputs_so_far[source.step])) or 'none'})")
        environment = script_dir.parent / (step.environment or "")
        if step.environment and not environment.is_file():
            problems.append(f"step '{step.name}': environment {environment} does not exist (a "
                            "conda file, relative to the model folder)")
        clashes = set(step.inputs) & set(step.outputs)
        if clashes:
            problems.append(f"step '{step.name}': {', '.join(sorted(clashes))} is both an input "
                            "and an output name")
        outputs_so_far[step.name] = set(step.outputs)
    if problems:
        raise PipelineDefinitionError("the pipeline's step list is not valid:\n  - "
                                      + "\n  - ".join(problems))


def registered_datasets(steps: Sequence[Step]) -> list[DatasetInput]:
    """Every registered dataset the pipeline reads, once each, in order of first use."""
    seen: dict[DatasetInput, None] = {}
    for step in steps:
        for source in step.inputs.values():
            if isinstance(source, DatasetInput):
                seen.setdefault(source)
    return list(seen)


def pipeline_module(model: str) -> ModuleType:
    """A model folder's aml_pipeline module (model is a folder name such as model_a)."""
    return importlib.import_module(f"{model_folder(model).name}.aml_pipeline")


def load_pipeline(model: str) -> tuple:
    """A model folder's CONFIG and the steps its declare_steps() returns."""
    module = pipeline_module(model)
    return module.CONFIG, module.declare_steps()
