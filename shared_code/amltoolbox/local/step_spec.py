"""The contract between the local runner and a step: one JSON file per step, in the step's
folder, named by $AML_LOCAL_STEP_SPEC and read by its LocalRun."""
import json
from collections import namedtuple
from pathlib import Path

SPEC_FILE = "spec.json"
TABULAR, FILE, OUTPUT = "tabular", "file", "output"

# Named tuples, not dataclasses: every step process reads its spec, and the dataclasses
# module (with inspect, which it loads) would be a third of what a step imports.


class InputSpec(namedtuple("InputSpec", "type path name version", defaults=(None, None))):
    """One named input: a registered dataset (tabular or file) or an earlier step's output;
    `name` and `version` are a registered dataset's."""
    __slots__ = ()

    @property
    def registered(self) -> bool:
        """Whether it is a registered dataset (not an earlier step's output)."""
        return self.type != OUTPUT


class StepSpec(namedtuple("StepSpec", "run_id step step_dir workspace model inputs outputs "
                                      "arguments properties")):
    """What one step of a local run reads and writes, and where it records: `inputs` maps
    names to InputSpecs, `outputs` output names to folders."""
    __slots__ = ()

    def __new__(cls, run_id, step, step_dir, workspace, *,  # pylint: disable=too-many-arguments
                model="", inputs=None, outputs=None, arguments=None, properties=None):
        return super().__new__(cls, run_id, step, step_dir, workspace, model, inputs or {},
                               outputs or {}, arguments or [], properties or {})

    def write(self, folder: Path | None = None) -> Path:
        """Write the spec as JSON into `folder` (the step's folder); its path."""
        path = Path(folder or self.step_dir) / SPEC_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        fields = {**self._asdict(),
                  "inputs": {name: item._asdict() for name, item in self.inputs.items()}}
        path.write_text(json.dumps(fields, indent=2), encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: Path) -> "StepSpec":
        """The spec in a file written by `write`."""
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        raw["inputs"] = {name: InputSpec(**item) for name, item in raw.get("inputs", {}).items()}
        return cls(**raw)
