"""`serve --log-requests`: the features of scored requests, kept for `drift MODEL --requests`,
when $AML_REQUEST_LOG names a folder. Model monitoring writes them
(shared_code/model_monitoring/request_log.py), loaded by name in the server's workers."""
import os
from pathlib import Path
from typing import Any

from ..loading import load

REQUEST_LOG_ENV_VAR = "AML_REQUEST_LOG"
REQUEST_LOGS_DIR = "request_logs"
REQUEST_WRITER = "shared_code.model_monitoring.request_log:write_request"


def request_log_folder(workspace_root: Path, model_name: str) -> Path:
    """Where the requests of a model's local server are kept."""
    return Path(workspace_root) / REQUEST_LOGS_DIR / model_name


def log_request(data: Any) -> None:
    """Keep a scored request's data, when request logging is on."""
    folder = os.environ.get(REQUEST_LOG_ENV_VAR)
    if folder:
        load(REQUEST_WRITER)(Path(folder), data)
