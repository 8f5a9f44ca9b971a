"""The entry script `serve` and `deploy` give the inference server (see server_entry.py).

It serves the model's own config/entry_script.py, named by $MODEL_ENTRY_SCRIPT: the server
calls that script's run() itself, and this init() installs the body limit and the 400 for an
undecodable body (the model folder's serving settings, or the defaults) before it calls the
model's init(). The server imports this file by its path, not as a module of the package.
"""
from shared_code.amltoolbox.serving.protections import install_protections
from shared_code.amltoolbox.serving.server_entry import (import_model_entry_script,
                                                         model_entry_script_path)
from shared_code.amltoolbox.serving.settings import serving_settings

_MODEL_SCRIPT = model_entry_script_path()
_model = import_model_entry_script(_MODEL_SCRIPT)
run = _model.run


def init() -> None:
    """Install the protections, then load the model as its entry script does."""
    install_protections(serving_settings(_MODEL_SCRIPT.parents[1]))
    _model.init()
