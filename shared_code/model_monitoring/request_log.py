"""The features of served requests, kept for a drift check of what an endpoint saw
(`serve --log-requests`, then `drift MODEL --requests`): the core's serving calls
write_request by name (amltoolbox/serving/request_log.py) when $AML_REQUEST_LOG names a folder.

Bounded: each server worker writes its own file, requests-<pid>.jsonl, rotated at
MAX_BYTES with BACKUPS older files kept. Only the request's `data` (the features the model
scores) and the time are written, one JSON line per scored request; a request refused as
bad is not. Off the request's critical path: a request only puts its data on a queue; a
thread of the worker turns it into JSON and writes it.
"""
import atexit
import json
import logging
import logging.handlers
import os
import queue
from pathlib import Path
from typing import Any

MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 3
_LOGGER = "shared_code.request_log"


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"time": record.created, "data": record.msg}, default=str)


class _Enqueue(logging.handlers.QueueHandler):
    """Puts the record as it is: QueueHandler.prepare would format it in the request's
    thread (logging/handlers.py, QueueHandler.prepare), which is what is kept off it."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        return record


_started: dict[int, logging.Logger] = {}
_listeners: dict[int, logging.handlers.QueueListener] = {}


def close_request_log() -> None:
    """Write what is queued and close this process's log (at exit, or when a test asks)."""
    listener = _listeners.pop(os.getpid(), None)
    _started.pop(os.getpid(), None)
    if listener is not None:
        listener.stop()
        for handler in listener.handlers:
            handler.close()


atexit.register(close_request_log)


def _logger(folder: Path) -> logging.Logger:
    """This process's request logger, started on first use (a forked worker starts its own)."""
    pid = os.getpid()
    if pid not in _started:
        folder.mkdir(parents=True, exist_ok=True)
        writer = logging.handlers.RotatingFileHandler(
            folder / f"requests-{pid}.jsonl", maxBytes=MAX_BYTES, backupCount=BACKUPS,
            encoding="utf-8")
        writer.setFormatter(_JsonLines())
        pending: queue.SimpleQueue = queue.SimpleQueue()
        listener = logging.handlers.QueueListener(pending, writer)
        listener.start()
        logger = logging.getLogger(f"{_LOGGER}.{pid}")
        logger.propagate = False
        logger.setLevel(logging.INFO)
        logger.handlers = [_Enqueue(pending)]
        _started[pid], _listeners[pid] = logger, listener
    return _started[pid]


def write_request(folder: Path, data: Any) -> None:
    """Keep a scored request's data in `folder`."""
    _logger(folder).info(data)


def logged_requests(folder: Path):
    """Each logged request's data, oldest file first (rotated files before the current)."""
    files = sorted(Path(folder).glob("requests-*.jsonl*"),
                   key=lambda p: (p.name.split(".jsonl")[0], -_rotation(p)))
    for file in files:
        with open(file, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield json.loads(line)["data"]


def _rotation(path: Path) -> int:
    suffix = path.name.rsplit(".jsonl", 1)[1].lstrip(".")
    return int(suffix) if suffix.isdigit() else 0
