"""Pipeline runs and their steps in the local workspace: status, metrics, images, logs."""
import json
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..errors import UserError
from ..records import COMPLETED, FAILED, RUNNING, Status
from .runner_identity import runner_alive
from .store import Store, dumps, utc_now

RUNS_DIR = "runs"
SCORED_MODEL = "scored_model"  # the property of a run that scored with a model version


class RunNotFoundError(UserError):
    """No run with that id."""


class RunEndedError(UserError):
    """A step's run has ended, or its runner has: the step may no longer register anything."""


@dataclass
class StepRecord:  # pylint: disable=too-many-instance-attributes  # one per column
    """One step of a run, as recorded."""
    run_id: str
    step: str
    status: Status
    started: str
    ended: str | None
    duration: float | None
    reused_from: str | None
    error: str | None
    outputs: dict
    output_hashes: dict
    fingerprint: str | None
    metrics: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)
    tags: dict = field(default_factory=dict)


@dataclass
class RunRecord:
    """One pipeline run, as recorded."""
    id: str
    model: str
    experiment: str
    status: Status
    started: str
    ended: str | None
    error: str | None
    properties: dict
    steps: list[StepRecord] = field(default_factory=list)

    def as_dict(self) -> dict:
        """A JSON-ready view."""
        return {key: ([vars(s) for s in value] if key == "steps" else value)
                for key, value in vars(self).items()}


def _unchanged(folder: Path, recorded_sha256: str | None) -> bool:
    # Imported here: listing runs needs no hashing (the CLI's start-up).
    from ..hashing import tree_sha256  # pylint: disable=import-outside-toplevel
    return folder.is_dir() and tree_sha256(folder) == recorded_sha256


def check_run_alive(db: sqlite3.Connection, run_id: str) -> None:
    """Refuse, with RunEndedError, unless run `run_id` is Running and its runner lives: in the
    transaction that registers a model or dataset, so a step that outlived its runner cannot."""
    row = db.execute("SELECT status, properties FROM runs WHERE id=?", (run_id,)).fetchone()
    if row is None:
        raise RunEndedError(f"run {run_id} is not recorded in this workspace: nothing is "
                            "registered; register through the model's pipeline")
    if row["status"] != RUNNING:
        raise RunEndedError(f"run {run_id} has ended ({row['status']}): nothing is registered; "
                            "run the pipeline again")
    properties = json.loads(row["properties"])
    if not runner_alive(properties):
        raise RunEndedError(f"the runner of run {run_id} (pid {properties.get('pid')}) has "
                            "ended: nothing is registered; run the pipeline again")


def _run_record(row) -> RunRecord:
    """A run's row of the index, without its steps."""
    return RunRecord(id=row["id"], model=row["model"], experiment=row["experiment"],
                     status=Status(row["status"]), started=row["started"], ended=row["ended"],
                     error=row["error"], properties=json.loads(row["properties"]))


def new_run_id(model: str) -> str:
    """A sortable, unique run id: model_YYYYmmdd_HHMMSS_random."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d_%H%M%S")
    return f"{model}_{stamp}_{secrets.token_hex(3)}"


class LocalRuns:
    """Create, update and read run records."""

    def __init__(self, store: Store):
        self.store = store

    def run_dir(self, run_id: str) -> Path:
        """The folder of a run's files (step logs, outputs, images)."""
        return self.store.root / RUNS_DIR / run_id

    def step_dir(self, run_id: str, step: str) -> Path:
        """The folder of one step's files within its run."""
        return self.run_dir(run_id) / step

    def start_run(self, model: str, experiment: str, properties: dict,
                  run_id: str | None = None) -> str:
        """Record a new run as Running and return its id (a new one unless given)."""
        run_id = run_id or new_run_id(model)
        with self.store.transaction() as db:
            db.execute("INSERT INTO runs VALUES (?,?,?,?,?,?,?,?)",
                       (run_id, model, experiment, RUNNING, utc_now(), None, None,
                        dumps(properties)))
        return run_id

    def end_run(self, run_id: str, status: Status, error: str | None = None) -> None:
        """Record how a run ended."""
        with self.store.transaction() as db:
            db.execute("UPDATE runs SET status=?, ended=?, error=? WHERE id=?",
                       (status, utc_now(), error, run_id))

    def fail_abandoned_runs(self) -> list[str]:
        """Mark as Failed the runs left Running by a runner that was killed; return their ids."""
        abandoned = self.abandoned_runs()
        message = "interrupted: the runner ended before the run finished"
        with self.store.transaction() as db:
            for run_id in abandoned:
                db.execute("UPDATE runs SET status=?, ended=?, error=? WHERE id=? AND status=?",
                           (FAILED, utc_now(), message, run_id, RUNNING))
                db.execute("UPDATE step_runs SET status=?, error=? WHERE run_id=? AND status=?",
                           (FAILED, message, run_id, RUNNING))
        return abandoned

    def abandoned_runs(self) -> list[str]:
        """The runs left Running by a runner that has ended (its pid gone, or reused)."""
        return [row["id"] for row in self.store.query(
            "SELECT id, properties FROM runs WHERE status=?", (RUNNING,))
            if not runner_alive(json.loads(row["properties"]))]

    def start_step(self, run_id: str, step: str, fingerprint: str | None) -> None:
        """Record a step as Running."""
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO step_runs (run_id, step, status, fingerprint, "
                       "started) VALUES (?,?,?,?,?)", (run_id, step, RUNNING, fingerprint,
                                                      utc_now()))

    def end_step(self, run_id: str, step: str, status: Status, duration: float,
                 outputs: dict | None = None, output_hashes: dict | None = None,
                 error: str | None = None, reused_from: str | None = None) -> None:
        """Record how a step ended, with its outputs' folders and content hashes."""
        with self.store.transaction() as db:
            db.execute("UPDATE step_runs SET status=?, ended=?, duration=?, outputs=?, "
                       "output_hashes=?, error=?, reused_from=? WHERE run_id=? AND step=?",
                       (status, utc_now(), duration, dumps(outputs or {}),
                        dumps(output_hashes or {}), error, reused_from, run_id, step))

    def find_reusable(self, step: str, fingerprint: str) -> StepRecord | None:
        """The latest completed step with this fingerprint whose outputs are still there,
        unchanged since it wrote them (a later step's inputs are fingerprinted by them)."""
        rows = self.store.query(
            "SELECT * FROM step_runs WHERE fingerprint=? AND step=? AND status=? "
            "ORDER BY ended DESC LIMIT 5", (fingerprint, step, COMPLETED))
        for row in rows:
            record = self._step(row)
            if all(_unchanged(Path(path), record.output_hashes.get(name))
                   for name, path in record.outputs.items()):
                return record
        return None

    def log_metric(self, run_id: str, step: str, name: str, value) -> None:
        """Record a metric value (numbers, text or lists, as AML's run.log takes)."""
        with self.store.transaction() as db:
            db.execute("INSERT INTO metrics VALUES (?,?,?,?,?)",
                       (run_id, step, name, json.dumps(value, default=str), utc_now()))

    def log_image(self, run_id: str, step: str, name: str, path: Path) -> None:
        """Record an image file kept in the step's folder."""
        with self.store.transaction() as db:
            db.execute("INSERT INTO images VALUES (?,?,?,?)", (run_id, step, name, str(path)))

    def tag(self, run_id: str, step: str, key: str, value) -> None:
        """Set a tag on a step of a run."""
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO tags VALUES (?,?,?,?)",
                       (run_id, step, key, None if value is None else str(value)))

    def _step(self, row) -> StepRecord:
        return StepRecord(run_id=row["run_id"], step=row["step"], status=Status(row["status"]),
                          started=row["started"], ended=row["ended"], duration=row["duration"],
                          reused_from=row["reused_from"], error=row["error"],
                          outputs=json.loads(row["outputs"]),
                          output_hashes=json.loads(row["output_hashes"]),
                          fingerprint=row["fingerprint"])

    def get(self, run_id: str) -> RunRecord:
        """A run with its steps, metrics, images and tags."""
        rows = self.store.query("SELECT * FROM runs WHERE id=?", (run_id,))
        if not rows:
            raise RunNotFoundError(f"no run '{run_id}' in the local workspace {self.store.root}; "
                                   "`python -m shared_code.amltoolbox runs list` shows the runs")
        row = rows[0]
        run = RunRecord(id=row["id"], model=row["model"], experiment=row["experiment"],
                        status=Status(row["status"]), started=row["started"], ended=row["ended"],
                        error=row["error"], properties=json.loads(row["properties"]))
        run.steps = self._steps(run_id, "SELECT * FROM step_runs WHERE run_id=? "
                                        "ORDER BY started, rowid", (run_id,))
        return run

    def step(self, run_id: str, step: str) -> StepRecord:
        """One step of a run with its metrics, images and tags: what the runner reports of
        each step, without reading the rest of the run (which would make a run's cost grow
        with the square of its steps)."""
        steps = self._steps(run_id, "SELECT * FROM step_runs WHERE run_id=? AND step=?",
                            (run_id, step))
        if not steps:
            raise RunNotFoundError(f"no step '{step}' in run '{run_id}' of the local workspace "
                                   f"{self.store.root}")
        return steps[0]

    def _steps(self, run_id: str, sql: str, params) -> list[StepRecord]:
        """The steps `sql` selects from `run_id`'s, with their metrics, images and tags."""
        steps = {r["step"]: self._step(r) for r in self.store.query(sql, params)}
        if not steps:
            return []
        names = list(steps)
        # One step: its rows alone (indexed by run and step); all of them: the run's rows.
        where, where_params = (("run_id=? AND step=?", (run_id, names[0])) if len(names) == 1
                               else ("run_id=?", (run_id,)))
        for metric in self.store.query(f"SELECT * FROM metrics WHERE {where} ORDER BY rowid",
                                       where_params):
            if metric["step"] in steps:
                # A name logged once keeps its value; logged again, it is a series (as in AML).
                values = steps[metric["step"]].metrics.setdefault(metric["name"], [])
                values.append(json.loads(metric["value"]))
        for step in steps.values():
            step.metrics = {k: v[0] if len(v) == 1 else v for k, v in step.metrics.items()}
        for image in self.store.query(f"SELECT * FROM images WHERE {where}", where_params):
            if image["step"] in steps:
                steps[image["step"]].images[image["name"]] = image["path"]
        for tag in self.store.query(f"SELECT * FROM tags WHERE {where}", where_params):
            if tag["step"] in steps:
                steps[tag["step"]].tags[tag["key"]] = tag["value"]
        return list(steps.values())

    def list(self, model: str | None = None, limit: int | None = 50,
             offset: int = 0) -> list[RunRecord]:
        """The latest runs, newest first (without their steps): `limit` of them (all when
        None) after the first `offset`."""
        sql, params = "SELECT * FROM runs", []
        if model:
            sql, params = sql + " WHERE model=?", [model]
        # SQLite reads LIMIT -1 as no limit.
        rows = self.store.query(sql + " ORDER BY started DESC, rowid DESC LIMIT ? OFFSET ?",
                                [*params, -1 if limit is None else limit, offset])
        return [_run_record(r) for r in rows]

    def using_model(self, model_id: str, limit: int = 20) -> "list[RunRecord]":
        """The latest runs that scored with model version `model_id` (name:version), such
        as batch scorings (their `scored_model` property), newest first."""
        rows = self.store.query("SELECT * FROM runs WHERE json_extract(properties, ?) = ? "
                                "ORDER BY started DESC, rowid DESC LIMIT ?",
                                (f"$.{SCORED_MODEL}", model_id, limit))
        return [_run_record(r) for r in rows]
