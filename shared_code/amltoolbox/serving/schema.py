"""An entry script's /swagger.json schema, recorded without wrapping run().

inference_schema's decorators record the schema once, when they decorate: in a dictionary
keyed by the module and name of the innermost function (inference_schema 1.8,
schema_decorators.py:146-147, schema_util.py:120-123). The inference server reads nothing but
that record: to call run() with the body's parsed "data" rather than the raw text
(azureml_inference_server_http 1.5.1, server/user_script.py:171-172, is_schema_decorated ->
ObjectInput) and to write /swagger.json (server/swagger.py:149-155). The function they return
also wraps every call in two wrapt layers (schema_decorators.py:45-68 and 95-96), which with
convert_to_provided_type=False only pass the arguments on.

`record_schema` applies them for the record alone and hands back run() itself.
"""
from typing import Any, Callable

from inference_schema.parameter_types.standard_py_parameter_type import (
    StandardPythonParameterType)
from inference_schema.schema_decorators import input_schema, output_schema


def record_schema(input_name: str, input_example: Any,
                  output_example: Any) -> Callable[[Callable], Callable]:
    """A decorator recording run()'s schema with these examples, returning run() as it is: the
    input is documented, not converted (run() answers bad input with a 4xx, not a 500)."""
    def record(run: Callable) -> Callable:
        # pylint: disable=no-value-for-parameter  # wrapt's decorators take the function alone
        input_schema(input_name, StandardPythonParameterType(input_example),
                     convert_to_provided_type=False)(
            output_schema(StandardPythonParameterType(output_example))(run))
        return run
    return record
