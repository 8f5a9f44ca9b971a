"""What the runs pages show, made from the local workspace's run records."""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from shared_code.amltoolbox.local.runs import RunRecord, StepRecord
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.local.runner import LOG_FILE
from shared_code.amltoolbox.local.runner_identity import PID, PID_STARTED, runner_alive
from shared_code.amltoolbox.promotion.registration import NOT_REGISTERED_TAG, REGISTERED_TAG
from shared_code.amltoolbox.promotion.summary import (NO_REASON, SUMMARY_FILE, SummaryError,
                                                      read_summary)
from shared_code.amltoolbox.records import COMPLETED, FAILED, RUNNING
from .display import is_number, seconds_between, value_text
from .reuse_view import ReuseReason, reuse_reasons
from .workspace_files import OutsideWorkspaceError, relative_inside, resolve_inside, read_tail

RUN_STATUSES = (RUNNING, COMPLETED, FAILED)
LOG_TAIL_LINES = 40
RUNS_SHOWN = 200
RUNNER_GONE = "the runner ended before the run finished (killed or crashed)"


@dataclass(frozen=True)
class RunRow:
    """One run as the list shows it."""
    id: str
    model: str
    status: str
    started: str
    duration: float | None
    outcome: str
    error: str | None


@dataclass(frozen=True)
class Metric:
    """A logged value: `text` as shown, `exact` in full."""
    name: str
    value: object
    text: str
    exact: str


@dataclass(frozen=True)
class Image:
    """A logged image; `relative` is its path in the workspace, None if it lies outside."""
    step: str
    name: str
    path: Path
    relative: str | None


@dataclass
class StepView:  # pylint: disable=too-many-instance-attributes  # one per thing shown
    """One step: its status and what it logged (a reused step's, from the run that made it)."""
    name: str
    status: str
    duration: float | None
    reused_from: str | None
    error: str | None
    metrics: list[Metric] = field(default_factory=list)
    tags: dict = field(default_factory=dict)
    images: list[Image] = field(default_factory=list)
    log_tail: list[str] | None = None
    log_run: str = ""


@dataclass(frozen=True)
class ComparisonRow:
    """One metric of the trained model beside the champion's."""
    metric: str
    trained: object
    champion: object
    primary: bool
    trained_is_better: bool | None


@dataclass
class SummaryView:  # pylint: disable=too-many-instance-attributes  # summary.json's fields
    """summary.json: the decision, its reason and the comparison with the champion."""
    step: str
    register: bool | None = None
    reason: str = ""
    primary_metric: str = ""
    champion_id: str | None = None
    champion_error: str | None = None
    rows: list[ComparisonRow] = field(default_factory=list)
    rule: dict = field(default_factory=dict)
    test_data: dict = field(default_factory=dict)
    problem: str | None = None


@dataclass
class RunPage:  # pylint: disable=too-many-instance-attributes  # one per section of the page
    """Everything the page of one run shows."""
    row: RunRow
    experiment: str
    ended: str | None
    properties: dict
    steps: list[StepView]
    summary: SummaryView | None
    reuse: dict[str, ReuseReason] = field(default_factory=dict)  # by step

    @property
    def running(self) -> bool:
        """Whether the run is still going (its page then refreshes itself)."""
        return self.row.status == RUNNING

    @property
    def metrics(self) -> list[tuple[str, Metric]]:
        """Every step's metrics, (step name, metric), in step order."""
        return [(step.name, metric) for step in self.steps for metric in step.metrics]

    @property
    def images(self) -> list[Image]:
        """Every step's images, in step order."""
        return [image for step in self.steps for image in step.images]


def _runner_gone(run: RunRecord) -> bool:
    """A Running run whose runner process has ended (the CLI would mark it Failed; the studio
    writes nothing, so it only shows it so). The same identity (pid and start time) as the
    CLI's, so a pid reused by another process does not keep a dead run Running."""
    return run.status == RUNNING and not runner_alive(run.properties)


def _status_and_error(run: RunRecord) -> tuple[str, str | None]:
    if _runner_gone(run):
        return FAILED, RUNNER_GONE
    return run.status, run.error


def outcome(run: RunRecord, status: str, error: str | None) -> str:
    """What happened to the model: registered name:version, or why not."""
    for step in run.steps:
        if REGISTERED_TAG in step.tags:
            return f"registered {step.tags[REGISTERED_TAG]}"
        if NOT_REGISTERED_TAG in step.tags:
            return f"not registered: {step.tags[NOT_REGISTERED_TAG]}"
    if status == RUNNING:
        return "running"
    return f"not registered: {error}" if error else "not registered"


def _duration(run: RunRecord, status: str) -> float | None:
    if status == RUNNING:
        return seconds_between(run.started, datetime.now(timezone.utc).isoformat())
    return seconds_between(run.started, run.ended)


def run_row(run: RunRecord) -> RunRow:
    """The list's view of a run read with its steps (runs.get)."""
    status, error = _status_and_error(run)
    return RunRow(id=run.id, model=run.model, status=status, started=run.started,
                  duration=_duration(run, status), outcome=outcome(run, status, error),
                  error=error)


def run_rows(workspace: LocalWorkspace, model: str | None = None,
             status: str | None = None) -> list[RunRow]:
    """The latest runs, newest first, of one model and in one status when given."""
    rows = [run_row(workspace.runs.get(run.id))
            for run in workspace.runs.list(model or None, RUNS_SHOWN)]
    return [row for row in rows if not status or row.status == status]


def run_models(workspace: LocalWorkspace) -> list[str]:
    """The models that have runs, for the filter."""
    return sorted({run.model for run in workspace.runs.list(None, RUNS_SHOWN)})


def metric(name: str, value) -> Metric:
    """A value as shown (4 significant digits) and in full."""
    return Metric(name, value, value_text(value), repr(value) if is_number(value) else str(value))


def _recorded_step(workspace: LocalWorkspace, step: StepRecord) -> StepRecord:
    """The step record holding what a step logged: a reused step's is its origin's."""
    if not step.reused_from:
        return step
    origin = workspace.runs.get(step.reused_from)
    return next((s for s in origin.steps if s.step == step.step), step)


def step_view(workspace: LocalWorkspace, step: StepRecord) -> StepView:
    """One step with its metrics, images, tags and the tail of its log."""
    recorded = _recorded_step(workspace, step)
    log = workspace.runs.step_dir(recorded.run_id, recorded.step) / LOG_FILE
    return StepView(
        name=step.step, status=step.status, duration=step.duration,
        reused_from=step.reused_from, error=step.error,
        metrics=[metric(name, value) for name, value in recorded.metrics.items()],
        tags=dict(recorded.tags),
        images=[Image(step.step, name, Path(path), relative_inside(workspace.root, path))
                for name, path in recorded.images.items()],
        log_tail=read_tail(log, LOG_TAIL_LINES), log_run=recorded.run_id)


def _comparison(summary: dict) -> list[ComparisonRow]:
    primary = summary.get("primary_metric", "")
    greater_is_better = (summary.get("rule") or {}).get("greater_is_better")
    champion = (summary.get("champion") or {}).get("metrics") or {}
    rows = []
    for name, trained in (summary.get("metrics") or {}).items():
        old = champion.get(name)
        better = None
        if name == primary and is_number(trained) and is_number(old) \
                and greater_is_better is not None and trained != old:
            better = (trained > old) == bool(greater_is_better)
        rows.append(ComparisonRow(name, trained, old, name == primary, better))
    return rows


def summary_view(workspace: LocalWorkspace, step: StepRecord) -> SummaryView | None:
    """summary.json from one of the step's output folders, or None when it wrote none."""
    for folder in step.outputs.values():
        try:
            path = resolve_inside(workspace.root, Path(folder) / SUMMARY_FILE)
        except OutsideWorkspaceError:
            continue
        if not path.is_file():
            continue
        try:
            summary = read_summary(path.parent)
        except SummaryError as error:
            return SummaryView(step.step, problem=str(error))
        champion = summary.get("champion") or {}
        return SummaryView(step=step.step, register=summary["register_trained_model"],
                           reason=summary.get("reason") or NO_REASON,
                           primary_metric=summary.get("primary_metric", ""),
                           champion_id=champion.get("id"), champion_error=champion.get("error"),
                           rows=_comparison(summary), rule=summary.get("rule") or {},
                           test_data=summary.get("test_data") or {})
    return None


def run_page(workspace: LocalWorkspace, run_id: str) -> RunPage:
    """The page of one run; RunNotFoundError when there is no such run."""
    run = workspace.runs.get(run_id)
    summary = next(filter(None, (summary_view(workspace, s) for s in run.steps)), None)
    return RunPage(row=run_row(run), experiment=run.experiment, ended=run.ended,
                   properties={k: v for k, v in run.properties.items()
                               if k not in (PID, PID_STARTED)},
                   steps=[step_view(workspace, step) for step in run.steps], summary=summary,
                   reuse=reuse_reasons(workspace, run_id))
