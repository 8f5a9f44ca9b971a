"""Answers to a client error: the inference server's own response type, with a JSON message.

The server answers its own 4xx (not JSON, wrong content type, no `data`) as
{"message": ...}; a model's entry script answers its validation errors the same way.
"""
import sys
from typing import Any, Callable

from azureml_inference_server_http.api.aml_response import AMLResponse

from .request_log import log_request
from .validation import BAD_REQUEST, ClientError

SERVER_ROUTES_MODULE = "azureml_inference_server_http.server.routes"


def error_response(status: int, message: str) -> AMLResponse:
    """A JSON {"message": ...} answer with the given 4xx status."""
    return AMLResponse({"message": message}, status, json_str=True)


def score_or_reject(score: Callable[[Any], Any], data: Any) -> Any:
    """What `score(data)` returns, or a 4xx response when it raises a ClientError. A scored
    request's data is kept when request logging is on (serve --log-requests)."""
    try:
        answer = score(data)
    except ClientError as error:
        return error_response(error.status, error.message)
    log_request(data)
    return answer


def reject_undecodable_bodies() -> None:
    """Have the inference server answer a body it cannot decode with a 400, not a 500.

    azureml-inference-server-http 1.5.1 answers bad JSON syntax with a 400, but a body that
    is not UTF-8, or holds an integer of more than 4,300 digits, makes its parser raise a
    plain ValueError (a body nested thousands of levels deep, a RecursionError), which it
    answers with a 500. Called from init(), while the server is
    still setting up its routes, this adds a 400 for that error to them. Outside that
    (init() called directly, with or without a server in the process) there is nothing to do.
    """
    routes = sys.modules.get(SERVER_ROUTES_MODULE)
    if routes is None:
        return
    try:
        # RecursionError: json.loads on a body nested thousands of levels deep.
        for error in (ValueError, RecursionError):
            routes.main_blueprint.register_error_handler(error, _undecodable_body)
    except AssertionError:
        pass  # Flask's answer once the routes are set up: this init() is not the server's


def _undecodable_body(error: Exception) -> AMLResponse:
    return error_response(BAD_REQUEST, f"the request body could not be decoded as JSON: {error}. "
                                       "Send UTF-8 JSON with numbers of ordinary size and "
                                       "little nesting.")
