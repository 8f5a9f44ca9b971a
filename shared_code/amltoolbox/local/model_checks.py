"""Checks of a registered model version (a drift check, ...): runs whose experiment names the
kind and whose step is tagged with the version (CHECKED_MODEL_TAG) and verdict (VERDICT_TAG);
the registry's views show the latest of each kind without importing what made it."""
from dataclasses import dataclass

from .store import Store

CHECKED_MODEL_TAG, VERDICT_TAG = "checked_model", "verdict"

_LATEST = """SELECT runs.experiment AS kind, verdict.value AS verdict, runs.id AS run_id,
    runs.started AS started
FROM tags AS checked
JOIN tags AS verdict ON verdict.run_id = checked.run_id AND verdict.step = checked.step
    AND verdict.key = ?
JOIN runs ON runs.id = checked.run_id
WHERE checked.key = ? AND checked.value = ?
ORDER BY runs.started DESC, runs.rowid DESC"""


@dataclass(frozen=True)
class CheckVerdict:
    """The verdict of one check of a model version, and the run that holds its details."""
    kind: str
    verdict: str
    run_id: str
    started: str


def latest_checks(store: Store, model_id: str) -> list[CheckVerdict]:
    """The latest verdict of each kind of check of `model_id` ('name:version'), by kind."""
    latest: dict[str, CheckVerdict] = {}
    for row in store.query(_LATEST, (VERDICT_TAG, CHECKED_MODEL_TAG, model_id)):
        latest.setdefault(row["kind"], CheckVerdict(row["kind"], row["verdict"], row["run_id"],
                                                    row["started"]))
    return [latest[kind] for kind in sorted(latest)]
