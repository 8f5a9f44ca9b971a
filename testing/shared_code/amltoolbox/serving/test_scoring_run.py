"""run() in one decorator: its schema on record under the script's names, the rows checked
against the model folder's limit, and a ClientError answered with its 4xx."""
import inspect
import json
from pathlib import Path

import pytest
from inference_schema.schema_util import get_input_schema, get_output_schema, is_schema_decorated
from serving_helpers import load_entry_script

from shared_code.amltoolbox.serving import scoring_run
from shared_code.amltoolbox.serving.settings import ServingSettings

SCRIPT = '''
from shared_code.amltoolbox import ClientError, scoring_run


def init():
    pass


@scoring_run({"x": 1.0}, {"doubled": [2.0]}, **OPTIONS)
def run(rows):
    """Each row's x, doubled."""
    if any(row.get("x") == "teapot" for row in rows):
        raise ClientError("a row is a teapot", 418)
    return {"doubled": [2 * row["x"] for row in rows]}
'''


@pytest.fixture(name="load")
def fixture_load(tmp_path):
    """Write a script decorated with these options into a model folder, and import it."""
    def load(**options):
        script = tmp_path / "my_model" / "config" / "entry_script.py"
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(SCRIPT.replace("**OPTIONS", ", ".join(
            f"{key}={value!r}" for key, value in options.items())).replace(", )", ")"),
            encoding="utf-8")
        return load_entry_script(script)
    return load


def _answer(result) -> tuple[int, dict]:
    if isinstance(result, dict):
        return 200, result
    return result.status_code, json.loads(result.get_data())


def test_the_schema_is_on_record_under_the_scripts_names_and_run_takes_data(load):
    run = load().run
    assert is_schema_decorated(run)
    assert (run.__module__, run.__name__, run.__doc__) == (
        "my_model_entry_script", "run", "Each row's x, doubled.")
    assert str(inspect.signature(run)) == "(data)"
    assert get_input_schema(run)["example"] == {"data": [{"x": 1.0}]}
    assert get_output_schema(run)["example"] == {"doubled": [2.0]}


def test_a_checked_list_of_rows_is_scored(load):
    assert load().run(data=[{"x": 1.5}, {"x": 2}]) == {"doubled": [3.0, 4]}


@pytest.mark.parametrize("data, status, message", [
    ({"x": 1}, 400, "'data' must be a JSON list of rows, not an object"),
    ([], 400, "'data' is an empty list: send at least one row"),
    ([{"x": "teapot"}], 418, "a row is a teapot"),
    ([{"x": 1}] * 3, 413, "'data' has 3 rows; at most 2 are scored per request"),
])
def test_bad_data_gets_a_4xx_saying_what_was_wrong(load, mocker, data, status, message):
    mocker.patch.object(scoring_run, "serving_settings",
                        return_value=ServingSettings("my_model", Path("my_model"), {"max_rows": 2}))
    answered, body = _answer(load().run(data))
    assert answered == status and body["message"].startswith(message)


def test_the_item_and_the_status_for_too_many_are_the_scripts(load, mocker):
    mocker.patch.object(scoring_run, "serving_settings",
                        return_value=ServingSettings("my_model", Path("my_model"), {"max_rows": 1}))
    run = load(item="image", too_many_status=400).run
    assert _answer(run([{"x": 1}] * 2)) == (400, {
        "message": "'data' has 2 images; at most 1 are scored per request: split it into "
                   "smaller requests"})


def test_without_model_config_the_default_row_limit_holds(load):
    run = load().run
    assert run.max_rows == 10_000
    assert _answer(run([{"x": 1}] * 10_001))[0] == 413


def test_a_bug_in_run_is_not_a_client_error(load):
    with pytest.raises(KeyError):
        load().run([{"y": 1}])
