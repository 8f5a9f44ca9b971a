"""What a compiled v2 command job tells its step: which arguments are inputs and outputs.

A v2 job passes every input and output as a path on the command line. The compiled job
also sets STEP_ENV_VAR to a JSON description of the step, so the run context knows, with
no Azure call, which argument is a Tabular dataset (and which registered version), which a
folder, which an output; its presence is how a step knows it runs in a v2 job.

Pure Python: the step's side reads this with nothing from azure or azureml imported, and
argparse waits until a v2 job needs it. The variable's name lives in run_context, which
checks it in every step: a local step does not import this module.
"""
import json
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.run_context import V2_STEP_ENV_VAR as STEP_ENV_VAR
MLTABLE, URI_FOLDER = "mltable", "uri_folder"
LATEST = "latest"


class StepIOError(UserError):
    """The step description or the command line of a v2 job does not fit together."""


@dataclass(frozen=True)
class InputSpec:
    """One input of a step: an asset type and, for a registered dataset, its name and version."""
    type: str
    dataset: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class StepIO:
    """A step's name, inputs and outputs, as the compiled job describes them."""
    step: str
    inputs: Mapping[str, InputSpec] = field(default_factory=dict)
    outputs: Sequence[str] = ()

    def to_json(self) -> str:
        """The value of STEP_ENV_VAR (sorted, so the job's YAML is stable)."""
        inputs = {name: {k: v for k, v in vars(spec).items() if v is not None}
                  for name, spec in self.inputs.items()}
        return json.dumps({"step": self.step, "inputs": inputs, "outputs": list(self.outputs)},
                          sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "StepIO":
        """The description STEP_ENV_VAR holds."""
        try:
            raw = json.loads(text)
            return cls(step=raw["step"],
                       inputs={name: InputSpec(**spec) for name, spec in raw["inputs"].items()},
                       outputs=tuple(raw["outputs"]))
        except (ValueError, KeyError, TypeError) as error:
            raise StepIOError(f"${STEP_ENV_VAR} is not a step description ({error!r}): it is "
                              "set by the compiled v2 job; compile the pipeline again") from None

    def command_arguments(self) -> list[str]:
        """`--name ${{inputs.name}} ... --name ${{outputs.name}}`: how the job passes paths."""
        arguments = []
        for name in self.inputs:
            arguments += [f"--{name}", f"${{{{inputs.{name}}}}}"]
        for name in self.outputs:
            arguments += [f"--{name}", f"${{{{outputs.{name}}}}}"]
        return arguments

    def parse_paths(self, argv: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
        """The input and output paths on a job's command line; other arguments are left alone."""
        import argparse
        parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
        for name in (*self.inputs, *self.outputs):
            parser.add_argument(f"--{name}", dest=name, required=True)
        try:
            parsed, _ = parser.parse_known_args(list(argv))
        except SystemExit:
            raise StepIOError(f"step '{self.step}' expects --NAME PATH for each of "
                              f"{', '.join((*self.inputs, *self.outputs))} on its command line, "
                              f"got: {' '.join(argv) or 'nothing'}") from None
        values = vars(parsed)
        return ({name: values[name] for name in self.inputs},
                {name: values[name] for name in self.outputs})
