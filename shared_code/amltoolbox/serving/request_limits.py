"""A bound on request bodies, enforced by the inference server before a body is read.

azureml-inference-server-http 1.5.1 reads a scoring request's body whole and parses it
(server/input_parsers.py:141, `request.get_data()`, called at server/user_script.py:126)
before the entry script's run() can count its rows, so the row limit alone lets a 100 MB
body cost a worker its memory and minutes. Called from init(), this installs the limit in
the server's own Flask app, as the server runs it locally and in Azure ML: init() runs while
the server registers its routes (server/create_app.py:20 registers the blueprint; its
register(), server/aml_blueprint.py:142, calls setup(), which calls init() at :109, before
Flask's Blueprint.register at :144), so a hook added to the routes then is part of the app.
The hook refuses a declared Content-Length over the limit with a 413 at once, and reads a
chunked body itself up to one byte past the limit: a 413 when that byte comes, else the body
is handed on as read. (werkzeug's own cap, max_content_length, would cut such a body off at
the limit without a word and leave the JSON parser a 400: LimitedStream.readall stops there,
werkzeug/wsgi.py:588-603.)
"""
import functools
import io
import sys

from .responses import SERVER_ROUTES_MODULE, error_response
from .validation import PAYLOAD_TOO_LARGE, max_body_bytes_setting

_PIECE_BYTES = 64 * 1024


def limit_request_bodies(serving: dict) -> int:
    """Have the server answer a body over the model's limit (model_config.yml's serving
    section: max_rows x max_row_bytes) with a 413 before reading it; return the limit.

    Outside the server's set-up (init() called directly), there is nothing to install.
    """
    from werkzeug.exceptions import RequestEntityTooLarge
    limit = max_body_bytes_setting(serving)
    routes = sys.modules.get(SERVER_ROUTES_MODULE)
    if routes is None:
        return limit
    try:
        routes.main_blueprint.before_request(functools.partial(_refuse_or_cap, limit))
        routes.main_blueprint.register_error_handler(RequestEntityTooLarge,
                                                     functools.partial(_too_large, limit))
    except AssertionError:
        pass  # Flask's answer once the routes are set up: this init() is not the server's
    return limit


def _refuse_or_cap(limit: int):
    from flask import request
    if request.content_length is not None:
        return _too_large(limit) if request.content_length > limit else None
    if "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
        request.max_content_length = limit  # no body, or one the server ends: capped
        return None
    body = _read_at_most(request.environ["wsgi.input"], limit)
    if body is None:
        return _too_large(limit)
    request.environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))})
    return None


def _read_at_most(stream, limit: int) -> bytes | None:
    """The stream's bytes, or None as soon as there are more than `limit` (in pieces, so a
    body over the limit never costs more memory than the limit)."""
    pieces, size = [], 0
    while size <= limit:
        piece = stream.read(min(_PIECE_BYTES, limit + 1 - size))
        if not piece:
            return b"".join(pieces)
        pieces.append(piece)
        size += len(piece)
    return None


def _too_large(limit: int, error=None):  # pylint: disable=unused-argument
    return error_response(PAYLOAD_TOO_LARGE,
                          f"the request body is larger than {limit:,} bytes, the most this "
                          "service reads per request: split the data into smaller requests")
