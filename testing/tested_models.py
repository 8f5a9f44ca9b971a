"""The model folders that tests checking every model folder run for: all of them, or those
$TESTED_MODELS names (comma-separated).

`tox -e changed` sets it when a change touches some model folders only: collecting a
hundred models' parameters to run the two changed costs most of such a run. Unset, every
model folder is tested; a name that is no model folder stops the run (testing/conftest.py).
"""
import os
from pathlib import Path

from shared_code.amltoolbox.layout import model_folders

TESTED_MODELS_ENV_VAR = "TESTED_MODELS"


def named_models() -> list[str]:
    """The model folders $TESTED_MODELS names, empty when it is unset."""
    return [name.strip() for name in os.environ.get(TESTED_MODELS_ENV_VAR, "").split(",")
            if name.strip()]


def model_folders_under_test() -> list[Path]:
    """Every model folder, or those $TESTED_MODELS names."""
    named = set(named_models())
    return [folder for folder in model_folders() if not named or folder.name in named]
