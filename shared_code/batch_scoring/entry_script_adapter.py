"""A model's entry script called on a batch: init() once, then run() on each chunk of items.

Each chunk is handed to run() as an online request's `data` (a list of table rows as
objects, or of image items), so that a batch answer is the one the scoring service gives
for the same rows. Only init() and run() are used. An answer of 4xx (the inference
server's response, or a ClientError raised) rejects the chunk; the chunk is then halved
until each rejected item stands alone, so that one bad row costs its neighbours nothing.
Any other error in run() is the entry script's bug and stops the batch.
"""
import importlib.util
import itertools
import json
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

from shared_code.amltoolbox.errors import UserError
from shared_code.tabular_utils.tabular_records import frame_records
from shared_code.amltoolbox.serving.validation import is_data_frame

# The name azmlinfsrv gives the entry script's module, numbered: a process that loads
# entry scripts twice (the tests) must not meet the schemas the first one recorded.
ENTRY_MODULE = "entry_module"
_loads = itertools.count()
PREDICTION_COLUMN = "prediction"  # for a run() that answers a bare list


class EntryScriptError(UserError):
    """The entry script failed in a way no input row explains (a bug to fix in it)."""
    details_heading = "traceback"


class Rejected(Exception):
    """run() refused the items it was given (a 4xx answer)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ChunkOutcome:
    """What run() made of one chunk: per-item answer columns for the items it scored (their
    positions in the chunk in `scored`), and (position, message) for those it rejected."""
    scored: list[int] = field(default_factory=list)
    columns: dict[str, list] = field(default_factory=dict)
    rejects: list[tuple[int, str]] = field(default_factory=list)
    csv_text: str | None = None  # the answers as CSV lines, when the worker formatted them

    def add(self, positions, columns: dict[str, list]) -> None:
        """Append the answers for the items at `positions`."""
        if self.scored and set(columns) != set(self.columns):
            raise EntryScriptError(f"run() answered with the fields {sorted(columns)} for some "
                                   f"rows and {sorted(self.columns)} for others: make every "
                                   "answer have the same fields")
        self.scored.extend(positions)
        for name, values in columns.items():
            self.columns.setdefault(name, []).extend(values)


def load_entry_script(path: Path) -> ModuleType:
    """Import the entry script from its file, as the inference server does, and call init()."""
    name = f"{ENTRY_MODULE}_{next(_loads)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        missing = [name for name in ("init", "run") if not callable(getattr(module, name, None))]
        if missing:
            raise EntryScriptError(f"{path} has no {' and no '.join(missing)}() function: an "
                                   "entry script defines init() and run(data)")
        module.init()
    except UserError:
        raise
    except Exception as error:  # pylint: disable=broad-except  # any failure of the user's init()
        raise EntryScriptError(f"{path}: init() failed: {type(error).__name__}: {error}",
                               details=traceback.format_exc()) from None
    return module


def score_items(run: Callable[[list], Any], items) -> ChunkOutcome:
    """run() over `items` (a list, or a DataFrame of table rows), the rejected ones isolated
    by halving. A DataFrame is handed over as it is to a run() that takes one (scoring_run's
    takes_data_frames), else as its rows' objects, as an online request holds them."""
    if is_data_frame(items) and not getattr(run, "takes_data_frames", False):
        items = frame_records(items)
    outcome = ChunkOutcome()
    _score_part(run, items, 0, len(items), outcome)
    return outcome


def _score_part(run, items, start: int, stop: int, outcome: ChunkOutcome) -> None:
    part = items if (start, stop) == (0, len(items)) else _slice(items, start, stop)
    try:
        columns = answer_columns(call_run(run, part), stop - start)
    except Rejected as rejected:
        if stop - start == 1:
            outcome.rejects.append((start, rejected.message))
            return
        middle = (start + stop) // 2
        _score_part(run, items, start, middle, outcome)
        _score_part(run, items, middle, stop, outcome)
        return
    outcome.add(range(start, stop), columns)


def _slice(items, start: int, stop: int):
    return items.iloc[start:stop] if is_data_frame(items) else items[start:stop]


def call_run(run: Callable[[list], Any], data: list) -> Any:
    """run(data), a 4xx answer or a ClientError raised as Rejected, other errors as
    EntryScriptError."""
    from shared_code.amltoolbox.serving.validation import ClientError
    try:
        answer = run(data)
    except ClientError as error:
        raise Rejected(error.message) from None
    except Exception as error:  # pylint: disable=broad-except  # any failure of the user's run()
        raise EntryScriptError(f"the entry script's run() failed on {len(data):,} item(s): "
                               f"{type(error).__name__}: {error}. Fix run() (a row it cannot "
                               "score should answer a 4xx)", details=traceback.format_exc()
                               ) from None
    status = getattr(answer, "status_code", None)
    if status is None:
        return answer
    if 400 <= status < 500:
        raise Rejected(response_message(answer))
    if status < 300:
        return json.loads(answer.get_data(as_text=True))
    raise EntryScriptError(f"the entry script's run() answered {status} on {len(data):,} "
                           f"item(s): {response_message(answer)}")


def response_message(response) -> str:
    """The {"message": ...} of an error answer, or its body as text."""
    body = response.get_data(as_text=True)
    try:
        parsed = json.loads(body)
    except ValueError:
        return body.strip()
    return str(parsed.get("message", body)) if isinstance(parsed, dict) else body.strip()


def answer_columns(answer: Any, count: int) -> dict[str, list]:
    """The per-item fields of run()'s answer for `count` items: a bare list is the
    prediction column; in an object, each list of `count` values is a column (values for
    the whole request, such as the model's id, are left out)."""
    if isinstance(answer, (str, bytes)):
        try:
            answer = json.loads(answer)
        except ValueError:
            raise EntryScriptError(f"run() answered a string that is not JSON: {answer[:80]!r}"
                                   ) from None
    if isinstance(answer, list) and len(answer) == count:
        return {PREDICTION_COLUMN: answer}
    if isinstance(answer, dict):
        columns = {name: value for name, value in answer.items()
                   if isinstance(value, list) and len(value) == count}
        if columns:
            return columns
    raise EntryScriptError(f"run() answered {type(answer).__name__} for {count:,} item(s), "
                           f"with no list of {count:,} values in it: answer one value per item "
                           '(a list, or an object such as {"predictions": [...]})')
