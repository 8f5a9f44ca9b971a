"""A model folder's shape: where each file the standard names lives, in one place (every
reader of a model folder asks a `ModelLayout`); model folders are found by their shape."""
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError
from .paths import REPO_ROOT, python_name

# Made by code or by tools: never copied into a new model, never part of a snapshot.
GENERATED = ("data", "output", "outputs", "__pycache__", ".ipynb_checkpoints", "*.pyc",
             "reports")
# Read by people or by Azure DevOps, not run by a step: no step's result nor deployment needs them.
NOT_CODE = (*GENERATED, "documentation", "notebooks", "eda", "devops")


class UnknownModelError(UserError):
    """A model folder name that is not in the repository."""


@dataclass(frozen=True)
class ModelLayout:  # pylint: disable=too-many-public-methods  # one property per named file
    """The files of one model folder, by the names the standard gives them."""
    folder: Path

    @property
    def name(self) -> str:
        """The folder's name, which is also its Python package name (model_a)."""
        return self.folder.name

    @property
    def pipeline(self) -> Path:
        """aml_pipeline.py: declare_steps() and run_pipeline()."""
        return self.folder / "aml_pipeline.py"

    @property
    def model_module(self) -> Path:
        """model.py: the model's own pure functions (train, score, data checks)."""
        return self.folder / "model.py"

    @property
    def config_dir(self) -> Path:
        """config/: the model's settings, entry script, environment and deployment."""
        return self.folder / "config"

    @property
    def model_config(self) -> Path:
        """config/model_config.yml: datasets, compute, hyperparameters, evaluation, serving."""
        return self.config_dir / "model_config.yml"

    @property
    def entry_script(self) -> Path:
        """config/entry_script.py: init() and run() for the inference server."""
        return self.config_dir / "entry_script.py"

    @property
    def conda_environment(self) -> Path:
        """config/conda_environment.yml: the environment in Azure ML."""
        return self.config_dir / "conda_environment.yml"

    @property
    def inference_config(self) -> Path:
        """config/inference_config.yml: entry script and environment, as the v1 CLI reads it."""
        return self.config_dir / "inference_config.yml"

    def deployment_config(self, env: str) -> Path:
        """config/deployment_config_<env>.yml (dev: ACI, prd: AKS)."""
        return self.config_dir / f"deployment_config_{env}.yml"

    @property
    def script_steps(self) -> Path:
        """script_steps/: one script per pipeline step."""
        return self.folder / "script_steps"

    def script(self, script_name: str) -> Path:
        """A step's script in script_steps/."""
        return self.script_steps / script_name

    @property
    def register_script(self) -> Path:
        """script_steps/register.py, which names, describes and tags the registered model."""
        return self.script("register.py")

    @property
    def prepare_data_module(self) -> str:
        """The module that writes the model's datasets on first use."""
        return f"{self.name}.script_steps.prepare_data"

    @property
    def notebooks(self) -> Path:
        """notebooks/: the model's notebooks."""
        return self.folder / "notebooks"

    def relative(self, path: Path) -> str:
        """`path` relative to the repository root, as a snapshot or a yaml names it."""
        return Path(path).resolve().relative_to(self.folder.parent).as_posix()


# A model folder is any top-level folder with both of these.
_MARKERS = ("aml_pipeline.py", "config/model_config.yml")
NEW_MODEL_COMMAND = "python -m shared_code.amltoolbox new-model"


class MisnamedModelFolderError(UserError):
    """A model folder whose name Python cannot import (canal-level-forecasting/)."""


def is_model_folder(path: Path | str) -> bool:
    """Whether `path` has the standard's shape of a model folder."""
    # os.path on strings: every run scans the repository's folders with it, where pathlib
    # cost 2 ms of a no-op run's 170 at a hundred models. A path that is no folder holds none.
    return all(os.path.isfile(os.path.join(path, marker)) for marker in _MARKERS)


def _candidates(repo_root: Path) -> list[Path]:
    with os.scandir(repo_root) as entries:
        return sorted(Path(entry.path) for entry in entries
                      if not entry.name.startswith(".") and is_model_folder(entry.path))


def model_folders(repo_root: Path = REPO_ROOT) -> list[Path]:
    """Every model folder in the repository, found by its shape rather than listed anywhere
    (a folder Python cannot import is not one: misnamed_model_folders() lists those)."""
    return [p for p in _candidates(repo_root) if p.name.isidentifier()]


def misnamed_model_folders(repo_root: Path = REPO_ROOT) -> list[Path]:
    """Folders with a model folder's shape but a name Python cannot import, such as the
    standard's example canal-level-forecasting/: their steps could only run another folder's
    code, so they are refused, never run."""
    return [p for p in _candidates(repo_root) if not p.name.isidentifier()]


def misnamed_folder_error(folder: Path) -> MisnamedModelFolderError:
    """The one line that names a misnamed model folder and the fix."""
    fixed = python_name(folder.name)
    return MisnamedModelFolderError(
        f"{folder.name}/ is not a valid model folder name (Python imports a model folder as a "
        f"package, and a package name cannot hold '-'): make it with `{NEW_MODEL_COMMAND} "
        f"{folder.name} --from MODEL`, which creates {fixed}/, or rename the folder {fixed}/")


def model_folder(name: str, repo_root: Path = REPO_ROOT) -> Path:
    """The folder of the model called `name` (a folder name such as model_a)."""
    folder = repo_root / name.strip().rstrip("/")
    if is_model_folder(folder) and not folder.name.isidentifier():
        raise misnamed_folder_error(folder)
    if not is_model_folder(folder):
        known = ", ".join(p.name for p in model_folders(repo_root)) or "none"
        raise UnknownModelError(
            f"'{name}' is not a model folder of {repo_root} (known models: {known}). "
            f"A model folder holds {' and '.join(_MARKERS)}.")
    return folder
