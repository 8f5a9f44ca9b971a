"""The entry script called on chunks: answers as columns, rejected items isolated."""
import json

import pytest

from shared_code.amltoolbox.serving.responses import error_response
from shared_code.amltoolbox.serving.validation import ClientError
from shared_code.batch_scoring.entry_script_adapter import (EntryScriptError, Rejected,
                                                            answer_columns, call_run,
                                                            load_entry_script, score_items)


def _run_refusing_negatives(data):
    """An online run(): 400 for a request holding a negative value, as model_a's does."""
    if any(row["x"] < 0 for row in data):
        bad = next(i for i, row in enumerate(data) if row["x"] < 0)
        return error_response(400, f"row {bad}: x is negative")
    return {"predictions": [row["x"] * 2 for row in data], "model": "m:1"}


@pytest.mark.parametrize("answer, expected", [
    ({"predictions": [1, 2], "model": "m:1"}, {"predictions": [1, 2]}),
    ({"predictions": [1, 2], "probabilities": [[0.5], [0.4]]},
     {"predictions": [1, 2], "probabilities": [[0.5], [0.4]]}),
    ([3, 4], {"prediction": [3, 4]}),
    (json.dumps({"predictions": [5, 6]}), {"predictions": [5, 6]}),
])
def test_answer_columns_are_the_per_item_lists(answer, expected):
    assert answer_columns(answer, 2) == expected


@pytest.mark.parametrize("answer", [{"predictions": [1]}, 7, "not json", [1, 2, 3]])
def test_an_answer_without_one_value_per_item_is_the_entry_scripts_error(answer):
    with pytest.raises(EntryScriptError, match="one value per item|not JSON"):
        answer_columns(answer, 2)


def test_bad_rows_are_isolated_and_the_rest_scored_in_order():
    rows = [{"x": x} for x in (1, -1, 2, 3, -5, 4, 5)]
    outcome = score_items(_run_refusing_negatives, rows)
    assert outcome.scored == [0, 2, 3, 5, 6]
    assert outcome.columns == {"predictions": [2, 4, 6, 8, 10]}
    assert outcome.rejects == [(1, "row 0: x is negative"), (4, "row 0: x is negative")]


def test_a_client_error_raised_by_run_is_a_rejection():
    def run(_data):
        raise ClientError("no rows like these")
    with pytest.raises(Rejected, match="no rows like these"):
        call_run(run, [{}])


@pytest.mark.parametrize("answer", [error_response(500, "boom"), ZeroDivisionError("bug")])
def test_a_server_error_or_an_exception_stops_the_batch(answer):
    def run(_data):
        if isinstance(answer, Exception):
            raise answer
        return answer
    with pytest.raises(EntryScriptError, match="boom|ZeroDivisionError: bug") as raised:
        call_run(run, [{}])
    assert "\n" not in str(raised.value)


def test_load_entry_script_calls_init_once(tmp_path):
    script = tmp_path / "entry_script.py"
    script.write_text("CALLS = []\n\ndef init():\n    CALLS.append(1)\n\n"
                      "def run(data):\n    return data\n", encoding="utf-8")
    module = load_entry_script(script)
    assert module.CALLS == [1]
    assert module.run([1]) == [1]


@pytest.mark.parametrize("source, message", [
    ("def init():\n    pass\n", "no run"),
    ("def init():\n    raise OSError('no model file')\n\ndef run(data):\n    return data\n",
     "init\\(\\) failed: OSError: no model file"),
])
def test_an_entry_script_that_cannot_start_is_one_line(tmp_path, source, message):
    script = tmp_path / "entry_script.py"
    script.write_text(source, encoding="utf-8")
    with pytest.raises(EntryScriptError, match=message):
        load_entry_script(script)
