"""model_a's scoring service against the floor that the server itself sets.

The floor is the same server (azmlinfsrv's app under gunicorn, the default workers: one per
core) around an entry script whose run() returns a constant, given to it directly; model_a is
served as `serve` serves it, behind the toolbox's entry script (its protections count
against it). Both servers run side by side and are measured in interleaved rounds, with the
same 1-row request of a real patient:

1. one client: the p50 latency of each round's requests; goal: model_a's p50 at most the
   floor's + 0.5 ms;
2. eight clients (processes of their own): requests per second; goal: model_a's at least
   0.8x the floor's.
Both are wall-time figures, which a busy machine stretches; so the CPU time the server's
processes spend per request is printed too (psutil), for each server in the same rounds.

The model is trained and registered in a temporary workspace; the servers listen on
127.0.0.1 only, and every load is bounded in count and time.
"""
import contextlib
import json
import multiprocessing
import re
import socket
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
import psutil

from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.local.dataset_preparation import local_dataset_path
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.serving.local_server import (LOOPBACK, default_workers,
                                                         entry_script_of, lay_out_model,
                                                         server_command, server_environment)
from testing.serving_helpers import background_server, free_port
from testing.benchmarks.measure import MachineLoad, Spread, goal, interleaved, ratio
from testing.testing_helpers import run_model_pipeline

MODEL = "model_a"
P50_MARGIN_MS = 0.5
THROUGHPUT_RATIO_TARGET = 0.8
CLIENTS = 8
ROUNDS = 9
LATENCY_REQUESTS = 300  # per round and server
THROUGHPUT_SECONDS = 2.0  # per round and server
THROUGHPUT_MAX_REQUESTS = 20_000
WARM_UP_REQUESTS = 200
CONSTANT_ENTRY_SCRIPT = """def init():
    pass


def run(data):
    return {"predictions": [0.0]}
"""


def _patient() -> dict:
    """One real patient record from model_a's testing data (made by its prepare_data on a
    fresh clone, where no pipeline has run yet)."""
    config = load_model_config(model_folder(MODEL))
    frame = pd.read_csv(local_dataset_path(config, "testing") / "diabetes_testing.csv")
    return frame[config.training["features"]].iloc[0].to_dict()


def _p50_seconds(call, calls: int) -> float:
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _server_processes(port: int) -> list[psutil.Process]:
    """The gunicorn master listening on `port` and its workers."""
    for process in psutil.process_iter(["cmdline"]):
        if f"{LOOPBACK}:{port}" in (process.info["cmdline"] or []):
            return [process, *process.children(recursive=True)]
    raise RuntimeError(f"no server process bound to {LOOPBACK}:{port}")


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    return sum(sum(p.cpu_times()[:2]) for p in processes)


def _latency(port: int, request: bytes, cpu_per_request: list) -> float:
    """The p50 of a round of requests; the server's CPU per request is appended."""
    processes = _server_processes(port)
    before = _cpu_seconds(processes)
    p50 = _p50_seconds(lambda: _post(port, request), LATENCY_REQUESTS)
    cpu_per_request.append((_cpu_seconds(processes) - before) / LATENCY_REQUESTS)
    return p50


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


@contextlib.contextmanager
def _servers(tmp: Path, record):
    """The floor's server and model_a's, side by side: their ports by name."""
    constant = tmp / "constant" / "config" / "entry_script.py"
    constant.parent.mkdir(parents=True)
    constant.write_text(CONSTANT_ENTRY_SCRIPT, encoding="utf-8")
    model_dir = lay_out_model(record, tmp / "serving")
    environments = {
        "floor": {**server_environment(constant, model_dir, ""),
                  "AZUREML_ENTRY_SCRIPT": str(constant)},  # the bare server, nothing around it
        MODEL: server_environment(entry_script_of(MODEL), model_dir, record.sha256)}
    with contextlib.ExitStack() as stack:
        ports = {}
        for name, environment in environments.items():
            port = free_port()
            stack.enter_context(background_server(
                server_command(LOOPBACK, port, default_workers()), environment,
                f"http://{LOOPBACK}:{port}"))
            ports[name] = port
        yield ports


def main() -> None:
    """Train model_a in a temporary workspace, serve it beside the floor, measure."""
    load = MachineLoad()
    load.read("at start")
    request = _request_bytes(json.dumps({"data": [_patient()]}).encode())
    with tempfile.TemporaryDirectory(prefix="bench_serving_") as tmp:
        record = _registered_model(Path(tmp) / "workspace")
        with _servers(Path(tmp), record) as ports:
            for port in ports.values():
                for _ in range(WARM_UP_REQUESTS):
                    _post(port, request)
            cpu: dict[str, list] = {name: [] for name in ports}
            latency = interleaved(ROUNDS, {
                name: lambda name=name, port=port: _latency(port, request, cpu[name])
                for name, port in ports.items()})
            rates = interleaved(ROUNDS, {name: lambda port=port: _throughput(port, request)
                                         for name, port in ports.items()})
    workers = default_workers()
    for name in ports:
        print(f"{name}: 1 client, p50 {Spread.of(latency[name]).text(1e3, ' ms')}; "
              f"{CLIENTS} clients, {workers} workers: {Spread.of(rates[name]).text(1, '/s', 0)}; "
              f"server CPU per request {Spread.of(cpu[name]).text(1e3, ' ms')}")
    extra = [(a - b) * 1e3 for a, b in zip(cpu[MODEL], cpu["floor"])]
    print(f"{MODEL}'s server CPU per request over the floor's: {Spread.of(extra).text(unit=' ms')}")
    margin = [(a - b) * 1e3 for a, b in zip(latency[MODEL], latency["floor"])]
    median_margin = (statistics.median(latency[MODEL]) - statistics.median(latency["floor"])) * 1e3
    goal(f"{MODEL} p50 over the floor's, 1 client, 1 row (target <= +{P50_MARGIN_MS} ms)",
         f"+{median_margin:.3f} ms (per round {Spread.of(margin).text(unit=' ms')})",
         median_margin <= P50_MARGIN_MS)
    value, spread = ratio(rates[MODEL], rates["floor"])
    goal(f"{MODEL} throughput over the floor's, {CLIENTS} clients, {workers} workers (target >= "
         f"{THROUGHPUT_RATIO_TARGET}x)", f"{value:.2f}x (per round {spread.text(digits=2)})",
         value >= THROUGHPUT_RATIO_TARGET)
    load.read("at end")
    load.verdict()


if __name__ == "__main__":
    main()
