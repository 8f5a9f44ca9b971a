"""An entry script, or the inference server's own app around it, in this process.

For tests and benchmarks: they score through the same Flask app that azmlinfsrv runs
(`azureml_inference_server_http.server.create_app`), without starting a server.
"""
import builtins
import contextlib
import importlib.util
import logging
import os
from pathlib import Path
from types import ModuleType
from typing import Iterator

from .model_loading import EXPECTED_SHA256_ENV_VAR, MODEL_DIR_ENV_VAR

SERVER_MODULE_NAME = "entry_module"  # the name the inference server imports a script as


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
def in_process_app(entry_script: Path, model_dir: Path,
                   expected_sha256: str | None = None) -> Iterator:
    """The server's Flask app serving `entry_script` with the model in `model_dir`.

    Building it calls the script's init(). The server reads its settings once, when first
    imported, and changes process-wide state as it builds an app (print() goes to its
    logger; logging is configured anew, disabling other loggers): all of that is put back
    on leaving, so the rest of the process is unaffected.
    """
    saved_print = builtins.print
    saved_env = {name: os.environ.get(name) for name in (MODEL_DIR_ENV_VAR,
                                                          EXPECTED_SHA256_ENV_VAR)}
    enabled_loggers = [logger for logger in logging.root.manager.loggerDict.values()
                       if isinstance(logger, logging.Logger) and not logger.disabled]
    _set_env(MODEL_DIR_ENV_VAR, str(model_dir))
    _set_env(EXPECTED_SHA256_ENV_VAR, expected_sha256)
    from azureml_inference_server_http.server import create_app
    from azureml_inference_server_http.server.config import config
    saved_settings = config.entry_script, config.azureml_model_dir
    config.entry_script = str(Path(entry_script).resolve())
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
