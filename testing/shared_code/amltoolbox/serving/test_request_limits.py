"""Request bodies bounded before they are read: a 413 with a message, for a declared length
and for a chunked body; a real server keeps its memory and its health probe under a flood of
oversized bodies."""
import io
import socket
import sys
import threading
import types
import urllib.request

import psutil
import pytest
import flask
from process_helpers import PATIENCE_SECONDS
from serving_helpers import registered_record, running_server

from shared_code.amltoolbox.serving.local_server import LOOPBACK
from shared_code.amltoolbox.serving import request_limits
from shared_code.amltoolbox.serving.request_limits import discard_rest, limit_request_bodies
from shared_code.amltoolbox.serving.responses import SERVER_ROUTES_MODULE
from shared_code.amltoolbox.serving.validation import (BODY_OVERHEAD_BYTES,
                                                       max_body_bytes_setting)

SERVING = {"max_rows": 10, "max_row_bytes": 100}
LIMIT = 10 * 100 + BODY_OVERHEAD_BYTES
MEMORY_GROWTH_BOUND = 100 * 2**20
OVERSIZED = 200 * 2**20


@pytest.mark.parametrize("serving, limit", [
    ({}, 10_000 * 2048 + BODY_OVERHEAD_BYTES),
    ({"max_rows": 1000}, 1000 * 2048 + BODY_OVERHEAD_BYTES),
    (SERVING, LIMIT),
])
def test_the_body_limit_follows_the_row_limit(serving, limit):
    assert max_body_bytes_setting(serving) == limit


@pytest.mark.parametrize("value", [0, -5, "2k", True, 1.5])
def test_a_bad_row_size_setting_says_what_to_set(value):
    with pytest.raises(ValueError, match="serving.max_row_bytes in config/model_config.yml is "
                                         ".*; set it to a whole number of bytes, at least 1"):
        max_body_bytes_setting({"max_row_bytes": value})


@pytest.fixture(name="client")
def fixture_client(monkeypatch):
    """A Flask app whose routes stand in for the inference server's while init() runs: the
    limit installed on them, as an entry script's init() installs it."""
    routes = flask.Blueprint("main", __name__)
    reads = []

    @routes.route("/score", methods=["GET", "POST"])
    def score():
        body = flask.request.get_data()
        reads.append(len(body))
        return {"read": len(body)}
    monkeypatch.setitem(sys.modules, SERVER_ROUTES_MODULE,
                        types.SimpleNamespace(main_blueprint=routes))
    assert limit_request_bodies(SERVING) == LIMIT
    app = flask.Flask(__name__)
    app.register_blueprint(routes)
    client = app.test_client()
    client.reads = reads
    return client


def _chunked(client, size: int):
    return client.post("/score", input_stream=io.BytesIO(b"1" * size),
                       headers={"Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})


def test_a_declared_length_over_the_limit_gets_a_413_and_is_never_read(client):
    answer = client.post("/score", data=b"1" * (LIMIT + 1))
    assert answer.status_code == 413 and client.reads == []
    assert answer.get_json() == {"message": f"the request body is larger than {LIMIT:,} bytes, "
                                            "the most this service reads per request: split "
                                            "the data into smaller requests"}


def test_a_chunked_body_over_the_limit_gets_a_413_after_the_limit(client):
    answer = _chunked(client, 10 * LIMIT)
    assert answer.status_code == 413 and "larger than" in answer.get_json()["message"]
    assert client.reads == []


@pytest.mark.parametrize("size", [0, 10, LIMIT])
def test_bodies_within_the_limit_reach_the_route_whole(client, size):
    assert client.post("/score", data=b"1" * size).get_json() == {"read": size}
    assert _chunked(client, size).get_json() == {"read": size}


def _stream(size: int) -> io.BytesIO:
    return io.BytesIO(b"1" * size)


def test_the_rest_of_a_refused_body_is_read_after_the_answer_so_the_client_can_read_it(client):
    body = _stream(3 * LIMIT)
    answer = client.post("/score", input_stream=body, content_length=3 * LIMIT)
    assert answer.status_code == 413 and client.reads == []
    answer.close()  # as the server closes an answer once it has sent it
    assert body.tell() == 3 * LIMIT


def test_the_rest_of_a_refused_chunked_body_is_read_too(client):
    body = _stream(3 * LIMIT)
    answer = client.post("/score", input_stream=body, headers={"Transfer-Encoding": "chunked"},
                         environ_overrides={"wsgi.input_terminated": True})
    assert answer.status_code == 413
    answer.close()
    assert body.tell() == 3 * LIMIT


@pytest.mark.parametrize("environ, dropped", [
    ({"CONTENT_LENGTH": str(10 * LIMIT)}, 5 * LIMIT),  # at most the bound
    ({"CONTENT_LENGTH": "100"}, 100),  # never past the declared length
    ({"wsgi.input_terminated": True}, 5 * LIMIT),  # chunks the server decodes
    ({}, 0),  # a body whose end nothing marks: reading could wait for ever
])
def test_what_is_dropped_is_bounded_and_never_past_the_bodys_end(environ, dropped):
    assert discard_rest({**environ, "wsgi.input": _stream(10 * LIMIT)}, 5 * LIMIT) == dropped


def test_a_body_that_breaks_off_ends_the_dropping(mocker):
    stream = mocker.Mock()
    stream.read.side_effect = [b"1" * 100, ConnectionResetError("peer gone")]
    assert discard_rest({"CONTENT_LENGTH": str(LIMIT), "wsgi.input": stream}, LIMIT) == 100


def test_a_client_that_stops_sending_holds_the_worker_for_a_bounded_time(mocker):
    connection = mocker.Mock()
    stream = mocker.Mock()
    stream.read.side_effect = TimeoutError("timed out")
    mocker.patch.object(request_limits, "DISCARD_SECONDS", 0.5)
    assert discard_rest({"CONTENT_LENGTH": "100", "wsgi.input": stream,
                         "gunicorn.socket": connection}, LIMIT) == 0
    connection.settimeout.assert_called_once_with(0.5)


def test_the_bound_is_the_limit_or_64_mib_whichever_is_more(client, mocker):
    discard = mocker.patch.object(request_limits, "discard_rest")
    client.post("/score", data=b"1" * (LIMIT + 1)).close()
    assert discard.call_args.args[1] == max(LIMIT, request_limits.DISCARD_BYTES) == 64 * 2**20


def test_outside_the_servers_set_up_there_is_nothing_to_install(monkeypatch):
    monkeypatch.delitem(sys.modules, SERVER_ROUTES_MODULE, raising=False)
    assert limit_request_bodies(SERVING) == LIMIT


def _answer(sock: socket.socket) -> int | None:
    """The status of the server's answer, read until it closes; None if it reset first."""
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except OSError:
        pass
    head = received.split(b"\r\n", 1)[0].split()
    return int(head[1]) if len(head) > 1 else None


def post_oversized(port: int, chunked: bool) -> int | None:
    """POST a 200 MB body to /score, declared or chunked, sending until the server answers;
    the status it answers (None when it reset the connection before it could be read)."""
    with socket.create_connection((LOOPBACK, port), timeout=PATIENCE_SECONDS) as sock:
        length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {OVERSIZED}"
        sock.sendall(f"POST /score HTTP/1.1\r\nHost: {LOOPBACK}\r\nContent-Type: "
                     f"application/json\r\n{length}\r\n\r\n".encode())
        statuses = []
        reader = threading.Thread(target=lambda: statuses.append(_answer(sock)))
        reader.start()
        piece = b'{"data": [' + b"1," * 32760
        framed = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
        sent = 0
        try:
            while sent < OVERSIZED and reader.is_alive():
                sock.sendall(framed)
                sent += len(piece)
        except OSError:
            pass  # the server answered and closed
        reader.join(PATIENCE_SECONDS)
        return statuses[0] if statuses else None


def _server_processes(port: int) -> list[psutil.Process]:
    """The server this test started on `port`: gunicorn and its workers."""
    [server] = [p for p in psutil.Process().children()
                if f"{LOOPBACK}:{port}" in " ".join(p.cmdline())]
    return [server, *server.children(recursive=True)]


def _rss(processes) -> int:
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def _healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/", timeout=PATIENCE_SECONDS) as answer:
        return answer.status == 200


@pytest.mark.integration
@pytest.mark.parametrize("model", ["model_a", "model_b"])
def test_ten_oversized_bodies_at_once_cost_little_memory_and_the_probe_answers(
        model, request, tmp_path):
    record = registered_record(model, request.getfixturevalue(f"{model}_workspace"))
    with running_server(model, record, workers=2, serving_root=tmp_path) as url:
        port = int(url.rsplit(":", 1)[1])
        processes = _server_processes(port)
        before = _rss(processes)
        peak, storm_over = [before], threading.Event()
        assert post_oversized(port, chunked=False) == 413
        assert post_oversized(port, chunked=True) == 413
        peak.append(_rss(processes))

        def sample():
            while not storm_over.is_set():
                peak.append(_rss(processes))
                storm_over.wait(0.02)
        sampler = threading.Thread(target=sample)
        sampler.start()
        storm = [threading.Thread(target=post_oversized, args=(port, index % 2 == 1))
                 for index in range(10)]
        for client in storm:
            client.start()
        probes = [_healthy(url)]
        while any(client.is_alive() for client in storm):
            probes.append(_healthy(url))
        for client in storm:
            client.join()
        storm_over.set()
        sampler.join()
        probes.append(_healthy(url))
    growth = max(peak) - before
    print(f"{model}: server memory {before / 2**20:.0f} MB, peak {max(peak) / 2**20:.0f} MB "
          f"(+{growth / 2**20:.0f} MB) under 10 oversized bodies; {len(probes)} health probes")
    assert all(probes)
    assert growth < MEMORY_GROWTH_BOUND
