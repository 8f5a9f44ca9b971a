"""What model_a's scoring service costs, in-process and over HTTP.

1. run() called in-process against DataFrame construction + model.predict on the same rows,
   for 1 and 1,000 rows. Target: run() at most 30% slower.
2. Over HTTP, one client, 1-row requests: p50 at most 0.7 ms above in-process run().
3. Eight clients, the default workers (one per core): at least 1,200 1-row requests/s.

The same server around a run() that returns a constant is measured too: its p50 is the
floor the server itself sets on this machine at this moment, which tells a busy machine
from a slow entry script. The model is trained and registered in a temporary workspace;
the server listens on 127.0.0.1 only, and every load is bounded in count and time.
"""
import json
import multiprocessing
import os
import re
import socket
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import load_model
from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.serving.in_process import load_entry_script
from shared_code.amltoolbox.serving.local_server import (LOOPBACK, background_server,
                                                         default_workers, entry_script_of,
                                                         free_port, lay_out_model,
                                                         running_server, server_command,
                                                         server_environment)
from shared_code.amltoolbox.serving.model_loading import MODEL_DIR_ENV_VAR
from testing.testing_helpers import run_model_pipeline

MODEL = "model_a"
IN_PROCESS_RATIO_TARGET = 1.30
HTTP_OVERHEAD_TARGET_MS = 0.7
THROUGHPUT_TARGET = 1200
CLIENTS = 8
LATENCY_REQUESTS = 2000
THROUGHPUT_SECONDS = 5.0
THROUGHPUT_MAX_REQUESTS = 50_000
WARM_UP_REQUESTS = 200
CONSTANT_ENTRY_SCRIPT = """def init():
    pass


def run(data):
    return {"predictions": [0.0]}
"""


def _patients(count: int) -> list[dict]:
    """`count` real patient records from model_a's testing data, repeated as needed."""
    config = load_model_config(model_folder(MODEL))
    frame = pd.read_csv(config.folder / config.dataset("testing").path / "diabetes_testing.csv")
    records = frame[config.training["features"]].to_dict("records")
    return (records * (count // len(records) + 1))[:count]


def _per_call_seconds(call, calls: int, rounds: int = 7) -> float:
    """The fastest round's mean time per call: the least disturbed by other processes."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            call()
        best = min(best, (time.perf_counter() - started) / calls)
    return best


def _p50_seconds(call, calls: int) -> float:
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _request_bytes(body: bytes) -> bytes:
    return (b"POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)) + body


def _post(port: int, request: bytes) -> None:
    """One request on its own connection (the server's sync workers close each one).

    A bare socket rather than http.client, so that the figures are the server's, not the
    client's: it sends the prepared bytes and reads the answer up to its Content-Length.
    """
    with socket.socket() as connection:
        connection.settimeout(10)
        connection.connect((LOOPBACK, port))
        connection.sendall(request)
        answer = connection.recv(65536)
        while b"\r\n\r\n" not in answer:
            answer += _received(connection)
        head, body = answer.split(b"\r\n\r\n", 1)
        length = int(re.search(rb"(?i)\r\ncontent-length: *(\d+)", head).group(1))
        while len(body) < length:
            body += _received(connection)
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"the server answered {head[:200]!r}")


def _received(connection: socket.socket) -> bytes:
    chunk = connection.recv(65536)
    if not chunk:
        raise RuntimeError("the server closed the connection before answering in full")
    return chunk


def _client(port: int, request: bytes, ready, results) -> None:
    """One client: requests back to back, from the moment all are ready, for a bounded time."""
    ready.wait()
    deadline = time.monotonic() + THROUGHPUT_SECONDS
    count = 0
    while time.monotonic() < deadline and count < THROUGHPUT_MAX_REQUESTS // CLIENTS:
        _post(port, request)
        count += 1
    results.put((count, time.monotonic()))


def _throughput(port: int, request: bytes) -> float:
    """Requests per second answered to CLIENTS concurrent clients.

    Each client is a process of its own, as real clients are: threads of one process would
    take turns at the interpreter lock, and a worker waits for its client to close the
    connection (gunicorn's sync workers close each one gracefully).
    """
    context = multiprocessing.get_context("fork")
    ready, results = context.Barrier(CLIENTS + 1), context.Queue()
    clients = [context.Process(target=_client, args=(port, request, ready, results))
               for _ in range(CLIENTS)]
    for client in clients:
        client.start()
    ready.wait()
    started = time.monotonic()
    counts, finished = zip(*(results.get() for _ in clients))
    for client in clients:
        client.join()
    return sum(counts) / (max(finished) - started)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def bench_in_process(record, entry) -> float:
    """run() against DataFrame + predict; returns run()'s 1-row p50 in seconds."""
    model, _ = load_model(record.path)
    for rows in (1, 1000):
        data = _patients(rows)
        calls = 2000 if rows == 1 else 50
        run_s = _per_call_seconds(lambda d=data: entry.run(d), calls)
        base_s = _per_call_seconds(lambda d=data: model.predict(pd.DataFrame(d)), calls)
        ratio = run_s / base_s
        print(f"in-process, {rows:>4} row(s): run() {run_s * 1e3:.3f} ms, DataFrame + predict "
              f"{base_s * 1e3:.3f} ms, ratio {ratio:.2f} (target <= {IN_PROCESS_RATIO_TARGET:.2f}) "
              f"{_verdict(ratio <= IN_PROCESS_RATIO_TARGET)}")
    one = _patients(1)
    return _p50_seconds(lambda: entry.run(one), LATENCY_REQUESTS)


def _server_floor_p50(tmp: Path, request: bytes) -> float:
    """The same server's p50 around a run() that returns a constant: its floor right now."""
    script = tmp / "constant" / "config" / "entry_script.py"
    script.parent.mkdir(parents=True)
    script.write_text(CONSTANT_ENTRY_SCRIPT, encoding="utf-8")
    port = free_port()
    with background_server(server_command(LOOPBACK, port, default_workers()),
                           server_environment(script, tmp, ""), f"http://{LOOPBACK}:{port}"):
        for _ in range(WARM_UP_REQUESTS):
            _post(port, request)
        return _p50_seconds(lambda: _post(port, request), LATENCY_REQUESTS)


def bench_http(record, tmp: Path, in_process_p50_s: float) -> None:
    """p50 with one client and throughput with CLIENTS clients, default workers."""
    request = _request_bytes(json.dumps({"data": _patients(1)}).encode())
    floor_s = _server_floor_p50(tmp, request)
    with running_server(MODEL, record, serving_root=tmp / "serving") as url:
        port = int(url.rsplit(":", 1)[1])
        for _ in range(WARM_UP_REQUESTS):
            _post(port, request)
        p50_s = _p50_seconds(lambda: _post(port, request), LATENCY_REQUESTS)
        overhead_ms = (p50_s - in_process_p50_s) * 1e3
        print(f"HTTP, 1 client, 1 row: p50 {p50_s * 1e3:.3f} ms vs in-process run() "
              f"{in_process_p50_s * 1e3:.3f} ms: +{overhead_ms:.3f} ms "
              f"(target <= +{HTTP_OVERHEAD_TARGET_MS} ms) "
              f"{_verdict(overhead_ms <= HTTP_OVERHEAD_TARGET_MS)}; the server's own floor "
              f"(a run() returning a constant) is {floor_s * 1e3:.3f} ms right now")
        rate = _throughput(port, request)
        print(f"HTTP, {CLIENTS} clients, 1 row, {default_workers()} workers (the default): "
              f"{rate:,.0f} requests/s (target >= {THROUGHPUT_TARGET:,}) "
              f"{_verdict(rate >= THROUGHPUT_TARGET)}")


def _registered_model(workspace_root: Path):
    """model_a trained and registered by its real pipeline in `workspace_root`."""
    result = run_model_pipeline(MODEL, workspace_root)
    if not result.succeeded:
        raise SystemExit(f"training {MODEL} failed: {result.error}")
    workspace = LocalWorkspace(workspace_root)
    try:
        return workspace.models.get(load_model_config(model_folder(MODEL)).model_name)
    finally:
        workspace.close()


def main() -> None:
    """Train model_a in a temporary workspace, then measure."""
    with tempfile.TemporaryDirectory(prefix="bench_serving_") as tmp:
        record = _registered_model(Path(tmp) / "workspace")
        os.environ[MODEL_DIR_ENV_VAR] = str(lay_out_model(record, Path(tmp) / "serving"))
        entry = load_entry_script(entry_script_of(MODEL))
        entry.init()
        in_process_p50_s = bench_in_process(record, entry)
        bench_http(record, Path(tmp), in_process_p50_s)


if __name__ == "__main__":
    main()
