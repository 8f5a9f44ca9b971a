"""The contract between the local runner and a step: one JSON file per step.

The runner writes it into the step's folder and points the step process at it
($AML_LOCAL_STEP_SPEC); the step's LocalRun reads it. Tests build one the same way.
"""
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

SPEC_FILE = "spec.json"
TABULAR, FILE, OUTPUT = "tabular", "file", "output"


@dataclass(frozen=True)
class InputSpec:
    """One named input: a registered dataset (tabular or file) or an earlier step's output."""
    type: str
    path: str
    name: str | None = None  # registered datasets only
    version: int | None = None

    @property
    def registered(self) -> bool:
        """Whether it is a registered dataset (not an earlier step's output)."""
        return self.type != OUTPUT


@dataclass(frozen=True)
class StepSpec:  # pylint: disable=too-many-instance-attributes  # the whole contract
    """What one step of a local run reads and writes, and where it records."""
    run_id: str
    step: str
    step_dir: str
    workspace: str
    model: str = ""
    inputs: dict[str, InputSpec] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # output name -> folder
    arguments: list[str] = field(default_factory=list)
    properties: dict = field(default_factory=dict)

    def write(self, folder: Path | None = None) -> Path:
        """Write the spec as JSON into `folder` (the step's folder); its path."""
        path = Path(folder or self.step_dir) / SPEC_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: Path) -> "StepSpec":
        """The spec in a file written by `write`."""
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        raw["inputs"] = {name: InputSpec(**item) for name, item in raw.get("inputs", {}).items()}
        return cls(**raw)
