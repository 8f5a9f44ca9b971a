"""Serving in tests and benchmarks: an entry script, or the inference server's own app
around it, in this process; and a real azmlinfsrv server in the background.

In-process, tests score through the same Flask app that azmlinfsrv runs
(`azureml_inference_server_http.server.create_app`), without starting a server.
"""
import builtins
import contextlib
import importlib.util
import logging
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
from pathlib import Path
from types import ModuleType
from typing import Iterator
from urllib.request import urlopen

from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.local.models import ModelRecord
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.serving.local_server import LOOPBACK, ServeError, plan_server
from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                          MODEL_DIR_ENV_VAR)
from shared_code.amltoolbox.serving.server_entry import (MODEL_ENTRY_SCRIPT_ENV_VAR,
                                                         SERVER_ENTRY_SCRIPT,
                                                         SERVER_MODULE_NAME)

READY_TIMEOUT_SECONDS = 120  # a server's start on a loaded machine: imports, init()
# What azmlinfsrv logs once a worker's init() has returned
# (azureml_inference_server_http/server/user_script.py:123).
INIT_DONE_LINE = "Users's init has completed successfully"


def forget_schemas(module_name: str) -> None:
    """Drop what inference-schema recorded for an earlier import of `module_name`.

    It records each decorated run()'s schema process-wide, by module name, and refuses a
    second one: without this, a script could be imported (or served) once per process.
    """
    from inference_schema.schema_util import __functions_schema__ as schemas
    for key in [key for key in schemas if key.startswith(f"{module_name}.")]:
        del schemas[key]


def load_entry_script(entry_script: Path) -> ModuleType:
    """Import an entry script from its file, as the server does (init() not yet called)."""
    entry_script = Path(entry_script).resolve()
    module_name = f"{entry_script.parents[1].name}_entry_script"
    forget_schemas(module_name)
    spec = importlib.util.spec_from_file_location(module_name, entry_script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def in_process_app(entry_script: Path, model_dir: Path, expected_sha256: str | None = None,
                   as_served: bool = True) -> Iterator:
    """The server's Flask app serving `entry_script` with the model in `model_dir`: behind the
    toolbox's entry script as `serve` and `deploy` run it, or (`as_served` false) the script
    alone, as `azmlinfsrv --entry_script` runs it.

    Building it calls the script's init(). The server reads its settings once, when first
    imported, and changes process-wide state as it builds an app (print() goes to its
    logger; logging is configured anew, disabling other loggers): all of that is put back
    on leaving, so the rest of the process is unaffected.
    """
    saved_print = builtins.print
    saved_env = {name: os.environ.get(name) for name in (MODEL_DIR_ENV_VAR,
                                                          EXPECTED_SHA256_ENV_VAR,
                                                          MODEL_ENTRY_SCRIPT_ENV_VAR)}
    enabled_loggers = [logger for logger in logging.root.manager.loggerDict.values()
                       if isinstance(logger, logging.Logger) and not logger.disabled]
    _set_env(MODEL_DIR_ENV_VAR, str(model_dir))
    _set_env(EXPECTED_SHA256_ENV_VAR, expected_sha256)
    _set_env(MODEL_ENTRY_SCRIPT_ENV_VAR, str(Path(entry_script).resolve()))
    from azureml_inference_server_http.server import create_app
    from azureml_inference_server_http.server.config import config
    saved_settings = config.entry_script, config.azureml_model_dir
    config.entry_script = str(SERVER_ENTRY_SCRIPT if as_served else Path(entry_script).resolve())
    config.azureml_model_dir = str(model_dir)
    forget_schemas(SERVER_MODULE_NAME)
    try:
        yield create_app.create()
    finally:
        config.entry_script, config.azureml_model_dir = saved_settings
        builtins.print = saved_print
        for logger in enabled_loggers:
            logger.disabled = False
        for name, value in saved_env.items():
            _set_env(name, value)


def _set_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _log_text(log) -> str:
    log.seek(0)
    return log.read()


def free_port(host: str = LOOPBACK) -> int:
    """A port nothing listens on at `host` right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def registered_record(model: str, workspace_root: Path,
                      version: int | None = None) -> ModelRecord:
    """`model`'s version (the latest by default) in the local workspace at `workspace_root`."""
    workspace = LocalWorkspace(workspace_root)
    try:
        return workspace.models.get(load_model_config(model_folder(model)).model_name, version)
    finally:
        workspace.close()


@contextlib.contextmanager
def running_server(model: str, record: ModelRecord, port: int | None = None,
                   workers: int | None = None, serving_root: Path | None = None
                   ) -> Iterator[str]:
    """A loopback server for `record` in the background: its base URL; stopped on leaving."""
    plan = plan_server(model, record, LOOPBACK, port or free_port(), workers, serving_root)
    # gunicorn's workers each run init(): the server is whole once every one has.
    with background_server(plan.command, plan.env, plan.url, ready_workers=plan.workers) as url:
        yield url


@contextlib.contextmanager
def background_server(command: list[str], env: dict, url: str,
                      ready_workers: int = 0) -> Iterator[str]:
    """Start `command`, yield `url` once it answers and `ready_workers` workers have run
    init(); stop the server on leaving."""
    with (tempfile.TemporaryFile("w+") as log,
          subprocess.Popen(command, env=env, cwd=REPO_ROOT, stdout=log,
                           stderr=subprocess.STDOUT) as process):
        try:
            wait_until_ready(url, process, log, ready_workers)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_ready(url: str, process: subprocess.Popen, log, ready_workers: int = 0) -> None:
    """Return once `url`/ answers 200 and the log shows `ready_workers` finished init()s; a
    ServeError with the server's log if it exits first."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise ServeError(f"the server exited with status {process.returncode} before "
                             f"answering:\n{log.read()[-4000:]}")
        try:
            with urlopen(f"{url}/", timeout=1) as answer:
                if answer.status == 200 and _log_text(log).count(INIT_DONE_LINE) >= ready_workers:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise ServeError(f"the server at {url} did not answer within {READY_TIMEOUT_SECONDS} s")
