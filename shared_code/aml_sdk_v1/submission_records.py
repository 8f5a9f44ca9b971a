"""The Azure ML steps' reuse keys recorded at each submission and each emulated run, in the
local workspace, so the next `--submit --explain` can say what Azure ML will reuse."""
import json

from shared_code.amltoolbox.local.store import Store, utc_now

SUBMITTED, EMULATED = "submitted", "emulated"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS azureml_step_keys (
    experiment TEXT NOT NULL, run_id TEXT NOT NULL, kind TEXT NOT NULL,
    recorded TEXT NOT NULL, steps TEXT NOT NULL, PRIMARY KEY (run_id, kind));
"""


class SubmissionRecords:
    """Recorded step keys by experiment: what was submitted (or emulated) last."""

    def __init__(self, store: Store):
        self.store = store

    def record(self, experiment: str, run_id: str, kind: str, steps: dict) -> None:
        """Record the step keys of a submission (or an emulated run)."""
        with self.store.diagnosed():
            self.store.connection.executescript(_SCHEMA)
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO azureml_step_keys VALUES (?,?,?,?,?)",
                       (experiment, run_id, kind, utc_now(), json.dumps(steps, sort_keys=True)))

    def last(self, experiment: str, kind: str = SUBMITTED) -> dict | None:
        """The latest record of `experiment`: {"run_id": ..., "steps": {...}}, or None."""
        tables = self.store.query("SELECT 1 FROM sqlite_master WHERE name='azureml_step_keys'")
        if not tables:
            return None
        rows = self.store.query("SELECT run_id, steps FROM azureml_step_keys WHERE experiment=? "
                                "AND kind=? ORDER BY recorded DESC, rowid DESC LIMIT 1",
                                (experiment, kind))
        return {"run_id": rows[0]["run_id"], "steps": json.loads(rows[0]["steps"])} if rows \
            else None
