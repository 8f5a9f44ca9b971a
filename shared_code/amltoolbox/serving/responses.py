"""Answers to a client error as the inference server answers its own 4xx: its response type,
{"message": ...}; the hooks below answer a body that cannot be decoded with a 400, not a 500."""
import json
from typing import Any, Callable

from azureml_inference_server_http.api.aml_response import AMLResponse

from .request_log import log_request
from .server_hooks import SERVER_ROUTES_MODULE, install_once
from .validation import BAD_REQUEST, ClientError

__all__ = ["SERVER_ROUTES_MODULE", "error_response", "reject_undecodable_bodies",
           "require_json_bodies", "score_or_reject"]


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
    answers with a 500. Called while the server sets up its routes (server_hooks), this adds
    a 400 for those errors to them.
    """
    def install(blueprint) -> None:
        for error in (ValueError, RecursionError):
            blueprint.register_error_handler(error, _undecodable_body)
    install_once("undecodable bodies", install)


def require_json_bodies() -> None:
    """Answer a POSTed body that is not JSON with a 400 when run() gets the body as text.

    The server hands a run() without @input_schema or @rawhttp the body as a string
    (server/user_script.py:177-179, JsonStringInput) and answers anything run() raises with a
    500 (server/routes.py:239-247): a plain entry script's json.loads of a bad body would be a
    500. This hook parses the body first (Flask keeps it, so the server does not read it
    again). A run() that parses the body itself (@input_schema) or reads the raw request
    (@rawhttp) is left as it is.
    """
    from azureml_inference_server_http.server.input_parsers import JsonStringInput

    def install(blueprint) -> None:
        if isinstance(getattr(getattr(blueprint, "user_script", None), "input_parser", None),
                      JsonStringInput):
            blueprint.before_request(_refuse_non_json)
    install_once("json bodies", install)


def _refuse_non_json():
    from flask import request
    if request.method != "POST":  # GET /score passes its URL's parameters as JSON itself
        return None
    try:
        json.loads(request.get_data().decode("utf-8"))
    except (ValueError, RecursionError) as error:
        return _undecodable_body(error)
    return None


def _undecodable_body(error: Exception) -> AMLResponse:
    return error_response(BAD_REQUEST, f"the request body could not be decoded as JSON: {error}. "
                                       "Send UTF-8 JSON with numbers of ordinary size and "
                                       "little nesting.")
