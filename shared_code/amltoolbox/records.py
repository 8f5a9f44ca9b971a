"""How a pipeline run and its steps went: one shape whichever runner ran them (the local
runner, the Azure ML emulator in shared_code/aml_emulator), and one status vocabulary,
which the local workspace stores and the command line prints as it is (a Status is a str:
`Status.COMPLETED == "Completed"`, and it is written as `Completed`)."""
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .errors import EXIT_USER_ERROR

EXIT_FAILURE = 1
# What the register step tags its run with: the model it registered, or why it did not.
REGISTERED_TAG = "registered_model"
NOT_REGISTERED_TAG = "not_registered"


class Status(StrEnum):
    """A run's or a step's status, spelled as Azure ML spells it."""
    RUNNING = "Running"
    COMPLETED = "Completed"
    FAILED = "Failed"
    REUSED = "Reused"


RUNNING, COMPLETED, FAILED, REUSED = (Status.RUNNING, Status.COMPLETED, Status.FAILED,
                                      Status.REUSED)


@dataclass
class StepResult:  # pylint: disable=too-many-instance-attributes  # what a step leaves
    """How one step went."""
    name: str
    status: Status
    duration: float
    reused_from: str | None = None
    error: str | None = None
    metrics: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)
    return_code: int | None = None  # a step that ran locally: its process's exit status
    run_id: str | None = None  # under the emulator: the step's own run
    log: Path | None = None  # under the emulator: its job's log


@dataclass
class RunResult:
    """How a pipeline run went."""
    run_id: str
    status: Status
    steps: list[StepResult] = field(default_factory=list)
    error: str | None = None
    user_error: bool = False  # it failed on something the user can fix (bad data, ...)

    @property
    def succeeded(self) -> bool:
        """True when every step completed or was reused."""
        return self.status == COMPLETED

    @property
    def exit_status(self) -> int:
        """0 when it succeeded; 2 when it failed on a user error, as every command; else 1."""
        if self.succeeded:
            return 0
        return EXIT_USER_ERROR if self.user_error else EXIT_FAILURE

    def outcome(self) -> str:
        """What happened to the model, from the tags of the steps in order (register tags
        one of them) and the run's error: registered name:version, or why not."""
        for step in self.steps:
            if REGISTERED_TAG in step.tags:
                return f"registered {step.tags[REGISTERED_TAG]}"
            if NOT_REGISTERED_TAG in step.tags:
                return f"nothing registered: {step.tags[NOT_REGISTERED_TAG]}"
        return f"nothing registered: {self.error}" if self.error else "nothing registered"


def metrics_line(step: StepResult) -> str | None:
    """`metrics (STEP): name=value, ...` of the numbers the step logged, or None."""
    numbers = {k: v for k, v in step.metrics.items() if isinstance(v, (int, float))}
    if not numbers:
        return None
    return f"metrics ({step.name}): " + ", ".join(f"{k}={v:.4g}" for k, v in numbers.items())


def outcome_line(result: RunResult) -> str:
    """`run ID: STATUS; what happened to the model`, the last line of every runner."""
    return f"run {result.run_id}: {result.status}; {result.outcome()}"
