"""The entry script `serve` and `deploy` give the inference server (see server_entry.py),
imported by its path: it serves $MODEL_ENTRY_SCRIPT, installing the protections in init()."""
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
