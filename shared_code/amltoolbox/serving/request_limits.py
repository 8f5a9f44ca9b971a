"""A bound on request bodies, enforced by the inference server before a body is read.

azureml-inference-server-http 1.5.1 reads a scoring request's body whole and parses it
(server/input_parsers.py:141, `request.get_data()`, called at server/user_script.py:126)
before the entry script's run() can count its rows, so the row limit alone lets a 100 MB
body cost a worker its memory and minutes. This installs the limit in the server's own Flask
app while it sets up its routes (server_hooks), locally and in Azure ML.
A declared Content-Length over the limit is a 413 at once; a chunked body is read up to one
byte past the limit (werkzeug's max_content_length would cut it off without a word and leave
the parser a 400: LimitedStream.readall, werkzeug/wsgi.py:588-603).

After the 413 the rest of the body is read and dropped, as nginx's lingering close does, so a
client that sends its whole body first (urllib, http.client) reads the 413 rather than a broken
pipe: in the answer's close(), which gunicorn calls after writing it (gunicorn/workers/
sync.py:184-196; it lingers on 64 KiB only, gunicorn/util.py:291), up to the limit or 64 MiB,
whichever is more, for at most DISCARD_SECONDS.
"""
import functools
import io
import time

from .responses import error_response
from .server_hooks import install_once
from .validation import PAYLOAD_TOO_LARGE, max_body_bytes_setting

_PIECE_BYTES = 64 * 1024
DISCARD_BYTES = 64 * 2**20
DISCARD_SECONDS = 10.0


def limit_request_bodies(serving: dict) -> int:
    """Have the server answer a body over the model's limit (model_config.yml's serving
    section: max_rows x max_row_bytes) with a 413 before reading it; return the limit.

    Outside the server's set-up (init() called directly), there is nothing to install.
    """
    from werkzeug.exceptions import RequestEntityTooLarge
    limit = max_body_bytes_setting(serving)

    def install(blueprint) -> None:
        blueprint.before_request(functools.partial(_refuse_or_cap, limit))
        blueprint.register_error_handler(RequestEntityTooLarge, functools.partial(_too_large,
                                                                                  limit))
    install_once("body limit", install)
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
    from flask import request
    response = error_response(PAYLOAD_TOO_LARGE,
                              f"the request body is larger than {limit:,} bytes, the most this "
                              "service reads per request: split the data into smaller requests")
    response.call_on_close(functools.partial(discard_rest, request.environ,
                                             max(limit, DISCARD_BYTES)))
    return response


def discard_rest(environ: dict, most: int) -> int:
    """Read and drop what is left of a refused body, at most `most` bytes, in pieces; the
    bytes dropped. Only a body whose end the server knows is read: one of a declared length,
    or chunks it decodes (wsgi.input_terminated); anything else could wait for ever."""
    declared = environ.get("CONTENT_LENGTH")
    if declared and declared.isdigit():
        most = min(most, int(declared))
    elif not environ.get("wsgi.input_terminated"):
        return 0
    stream, dropped = environ["wsgi.input"], 0
    deadline = time.monotonic() + DISCARD_SECONDS
    socket = environ.get("gunicorn.socket")
    try:
        if socket is not None:
            socket.settimeout(DISCARD_SECONDS)  # a client that stops sending holds no worker
        while dropped < most and time.monotonic() < deadline:
            piece = stream.read(min(_PIECE_BYTES, most - dropped))
            if not piece:
                break
            dropped += len(piece)
    # The answer is sent: a body that breaks off, or a client that goes away, ends the reading,
    # whatever the server's reader raises for it (gunicorn: OSError or its ParseException).
    except Exception:  # pylint: disable=broad-exception-caught
        pass
    return dropped
