"""The entry script the inference server is given: the toolbox's, around the model's own.

azmlinfsrv serves one entry script, named by $AZUREML_ENTRY_SCRIPT (relative to
$AML_APP_ROOT), which it imports by its path as the module `entry_module`, checks for init()
and run(), and analyses run() to decide how to pass it the request
(azureml_inference_server_http 1.5.1, server/user_script.py:69-90 and :143-179); it then calls
init() once per worker (server/aml_blueprint.py:109) and run() per request. Its settings
(server/config.py:23-41) name no other hook, and in Azure ML the server's command is not
ours. So `serve` and `deploy` give it server_entry_script.py, which imports the model's entry
script ($MODEL_ENTRY_SCRIPT) as the server would, hands on its run(), and in init() installs
the protections before calling the model's init().
"""
import importlib.util
import os
from pathlib import Path
from types import ModuleType

from ..errors import UserError

MODEL_ENTRY_SCRIPT_ENV_VAR = "MODEL_ENTRY_SCRIPT"
SERVER_ENTRY_SCRIPT = Path(__file__).resolve().with_name("server_entry_script.py")
# The folder holding shared_code: the repository here, a deployment's source directory in Azure.
SOURCE_ROOT = SERVER_ENTRY_SCRIPT.parents[3]
SERVER_MODULE_NAME = "entry_module"  # server/user_script.py:75


class EntryScriptError(UserError):
    """The model's entry script cannot be served."""


def server_entry_variables(model_entry_script: Path) -> dict[str, str]:
    """The variables that have a server on this machine run `model_entry_script` behind the
    toolbox's entry script."""
    return {"AZUREML_ENTRY_SCRIPT": str(SERVER_ENTRY_SCRIPT),
            MODEL_ENTRY_SCRIPT_ENV_VAR: str(model_entry_script)}


def deployed_entry(model_entry_script: str) -> tuple[str, dict[str, str]]:
    """For a deployment whose source directory holds shared_code and the model folder: the
    entry script to give Azure ML and the environment variables that name the model's
    (`model_entry_script`), both relative to the source directory."""
    return (SERVER_ENTRY_SCRIPT.relative_to(SOURCE_ROOT).as_posix(),
            {MODEL_ENTRY_SCRIPT_ENV_VAR: model_entry_script})


def model_entry_script_path() -> Path:
    """The model's entry script that $MODEL_ENTRY_SCRIPT names."""
    named = os.environ.get(MODEL_ENTRY_SCRIPT_ENV_VAR)
    if not named:
        raise EntryScriptError(f"${MODEL_ENTRY_SCRIPT_ENV_VAR} is not set: it names the model's "
                               "config/entry_script.py, which `serve` and `deploy` set")
    return SOURCE_ROOT / named


def import_model_entry_script(path: Path) -> ModuleType:
    """The model's entry script imported as the server imports one (not yet init()), with
    its init() and run() checked."""
    if not path.is_file():
        raise EntryScriptError(f"${MODEL_ENTRY_SCRIPT_ENV_VAR} names {path}, which does not "
                               "exist: a served model needs config/entry_script.py")
    spec = importlib.util.spec_from_file_location(SERVER_MODULE_NAME, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missing = [name for name in ("init", "run") if not callable(getattr(module, name, None))]
    if missing:
        raise EntryScriptError(f"{path} has no {' and no '.join(f'{n}()' for n in missing)}: an "
                               "entry script defines init(), which loads the model, and "
                               "run(data), which returns its predictions")
    return module
