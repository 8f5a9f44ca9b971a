"""Where the SDK's requests leave the process, answered in-process instead.

Every HTTP request the azureml SDK makes goes through `requests` (msrest's REST clients,
the vendored blob storage client, plain `requests.get`). `serve(store, routes)` replaces
requests' transport adapter so that a request to an emulated host is answered by the
route that matches it, and a request to any other host fails as a machine without
network would: the emulator never reaches Azure.
"""
import contextlib
import io
import json
import re
import sys
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from requests import Response
from requests.adapters import HTTPAdapter
from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.structures import CaseInsensitiveDict

from .identity import EMULATED_HOSTS


@dataclass
class EmulatedRequest:
    """One request as a route sees it."""
    method: str
    host: str
    path: str
    query: dict
    headers: dict
    body: bytes
    params: dict = field(default_factory=dict)

    def json(self):
        """The JSON body (None when there is none)."""
        return json.loads(self.body) if self.body else None


@dataclass
class EmulatedResponse:
    """What a route answers: a status, a body (JSON-ready or bytes) and headers."""
    status: int = 200
    body: object = None
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    """A request the emulated service answers: `method` on `host` at a path matching
    `template` ({name} matches one segment, {path} the rest), answered by `handler`."""
    method: str
    host: str
    template: str
    handler: Callable
    pattern: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        regex = re.sub(r"\\{(\w+)\\}", lambda m: (f"(?P<{m.group(1)}>.+)" if m.group(1) == "path"
                                                  else f"(?P<{m.group(1)}>[^/]+)"),
                       re.escape(self.template))
        object.__setattr__(self, "pattern", re.compile(f"^{regex}/?$", re.IGNORECASE))

    def match(self, request: EmulatedRequest) -> dict | None:
        """The path's parameters when this route answers `request`, else None."""
        if request.method != self.method or request.host != self.host:
            return None
        found = self.pattern.match(request.path)
        return {k: unquote(v) for k, v in found.groupdict().items()} if found else None


def _emulated_request(prepared) -> EmulatedRequest:
    url = urlsplit(prepared.url)
    body = prepared.body
    if hasattr(body, "read"):  # the blob client streams uploads
        body = body.read()
    if isinstance(body, str):
        body = body.encode("utf-8")
    return EmulatedRequest(method=prepared.method.upper(), host=url.hostname or "",
                           path=url.path, query={k: v[-1] for k, v in parse_qs(url.query).items()},
                           headers=dict(prepared.headers), body=body or b"")


def _response(prepared, emulated: EmulatedResponse) -> Response:
    response = Response()
    body = emulated.body
    content = body if isinstance(body, bytes) else (b"" if body is None else
                                                    json.dumps(body).encode("utf-8"))
    response.status_code = emulated.status
    response.headers = CaseInsensitiveDict(
        {"Content-Type": "application/octet-stream" if isinstance(body, bytes)
         else "application/json; charset=utf-8",
         "Content-Length": str(len(content)), **emulated.headers})
    response.raw = io.BytesIO(content)
    response._content = content  # pylint: disable=protected-access  # what requests reads from
    response.url, response.request, response.encoding = prepared.url, prepared, "utf-8"
    response.reason = "OK" if emulated.status < 400 else "Emulated error"
    return response


def answer(routes, store, prepared) -> Response:
    """The emulated service's response to one prepared request.

    A request no route answers gets a 501 and a line on stderr: the SDK made a service call
    that the emulator does not stand in for yet, and whatever depends on it fails visibly.
    """
    request = _emulated_request(prepared)
    for route in routes:
        params = route.match(request)
        if params is not None:
            request.params = params
            return _response(prepared, route.handler(store, request))
    message = (f"the Azure ML emulator has no answer for {request.method} https://{request.host}"
               f"{request.path}: service_standins.py lists no such service call")
    print(message, file=sys.stderr, flush=True)
    return _response(prepared, EmulatedResponse(501, {"error": {"code": "NotImplemented",
                                                                "message": message}}))


@contextlib.contextmanager
def serve(store, routes):
    """Answer requests to the emulated hosts from `routes`; refuse every other host."""
    original = HTTPAdapter.send

    def send(adapter, prepared, *args, **kwargs):  # pylint: disable=unused-argument
        host = urlsplit(prepared.url).hostname or ""
        if host not in EMULATED_HOSTS:
            raise RequestsConnectionError(
                f"the Azure ML emulator allows no network: refused {prepared.method} "
                f"{prepared.url.split('?')[0]}", request=prepared)
        return answer(routes, store, prepared)

    HTTPAdapter.send = send
    try:
        yield
    finally:
        HTTPAdapter.send = original
