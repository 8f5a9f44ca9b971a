"""run()'s schema recorded for /swagger.json without a wrapper around each call."""
from inference_schema.schema_util import (get_input_schema, get_output_schema,
                                          is_schema_decorated)

from shared_code.amltoolbox.serving.schema import record_schema


@record_schema("data", [{"x": 1.0}], {"predictions": [2.0]})
def run(data):
    """The function the server calls."""
    return {"predictions": [row["x"] * 2 for row in data]}


def plain(data):
    """The same function without a schema."""
    return {"predictions": [row["x"] * 2 for row in data]}


def test_run_is_the_function_itself_and_takes_its_arguments_as_they_come():
    assert type(run) is type(plain)  # not a wrapper
    assert run(data=[{"x": 3.0}]) == {"predictions": [6.0]}


def test_the_schema_is_on_record_as_the_decorators_put_it():
    assert is_schema_decorated(run)
    assert not is_schema_decorated(plain)
    assert get_input_schema(run)["example"] == {"data": [{"x": 1.0}]}
    assert get_output_schema(run)["example"] == {"predictions": [2.0]}
