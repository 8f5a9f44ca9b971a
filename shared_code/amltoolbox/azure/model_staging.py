"""A model folder staged inside the working directory, so that Model.register takes it.

Model.register refuses any path outside the script's working directory:
`Model._validate_model_path` raises "PermissionError: Unauthorized access: Path outside
current working directory" (azureml/core/model.py:627-643, called at 572). In an Azure ML
job the step's inputs are downloaded or mounted outside the working directory, so the
model folder is copied under it, registered by its relative path, and the copy removed.
"""
import contextlib
import os
import shutil
import tempfile
from pathlib import Path

# The registered asset holds the model's files under this folder (model/model.pkl). It is
# not the model's name, so a deployment's AZUREML_MODEL_DIR/<name>/<version>/model/ is
# never mistaken for the <name>/<version> layout.
STAGED_FOLDER = "model"


@contextlib.contextmanager
def staged_in_working_directory(model_dir: str | Path):
    """Yield the relative path of a copy of `model_dir` under the working directory."""
    staging = Path(tempfile.mkdtemp(prefix=".model-registration-", dir=Path.cwd()))
    try:
        target = staging / STAGED_FOLDER
        shutil.copytree(model_dir, target)
        yield os.path.relpath(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
