"""The Registry of an Azure ML workspace (SDK v1): azureml.core.Model.

Model.register uploads from a path under the working directory only: the SDK refuses any
other (`Model._validate_model_path`, azureml/core/model.py:572 and :636-643, "Unauthorized
access: Path outside current working directory"). A step's `model` input is downloaded
outside it, so the files are staged in a folder under the working directory first; what
packages beside the core add to them (the model card, promotion/registered_extras.py) is
written into that copy, so it is uploaded with the model's files, in the same version.
"""
import contextlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from ..azure_settings import CONTENT_TAG
from ..model_io import model_sha256
from ..pipeline import FILE, TABULAR
from ..promotion.registered_extras import add_beside_the_model
from ..promotion.registry import (SHA256_PROPERTY, ChampionChangedError, ChampionModel,
                                  Registration, RegistrationRequest)

STAGING_PREFIX = ".register-"
# The registered asset holds the model's files under this folder (model/model.pkl), whatever
# Azure ML named the downloaded input: a deployment's AZUREML_MODEL_DIR/<name>/<version>/model/
# is then never taken for the <name>/<version> layout.
STAGED_FOLDER = "model"


class AzureRegistry:
    """Registry over an Azure ML workspace's registered models."""

    def __init__(self, workspace):
        self.workspace = workspace

    def _latest(self, model_name: str):
        from azureml.core import Model
        from azureml.exceptions import WebserviceException
        try:
            return Model(self.workspace, name=model_name)
        except WebserviceException:
            return None  # no version registered yet

    def find_champion(self, model_name: str) -> ChampionModel | None:
        """The latest version, downloaded into a temporary folder."""
        model = self._latest(model_name)
        if model is None:
            return None
        path = Path(model.download(target_dir=tempfile.mkdtemp(prefix="champion-"),
                                   exist_ok=True))
        sha256 = (model.properties or {}).get(SHA256_PROPERTY) or model_sha256(path)
        return ChampionModel(f"{model.name}:{model.version}", sha256, path)

    def register(self, request: RegistrationRequest) -> Registration:
        """Model.register with tags, and properties and lineage as text (AML keeps strings).
        Azure ML has no transaction: the champion is checked just before registering."""
        from azureml.core import Model
        latest = self._latest(request.name)
        latest_id = f"{latest.name}:{latest.version}" if latest is not None else None
        if request.champion_checked and latest_id != request.expected_champion:
            raise ChampionChangedError(
                f"the champion changed since evaluation (it was "
                f"{request.expected_champion or 'none'}, it is now {latest_id}): run the "
                "pipeline again to compare with it")
        expected_id = f"{request.name}:{latest.version + 1 if latest is not None else 1}"
        with staged_under_cwd(request.model_dir) as model_path:
            extras = add_beside_the_model(request, Path(model_path), expected_id,
                                          self.describe_dataset)
            as_text = {k: json.dumps(v) if isinstance(v, dict) else str(v)
                       for k, v in {**request.properties, **request.lineage, **extras}.items()}
            model = Model.register(workspace=self.workspace, model_path=model_path,
                                   model_name=request.name,
                                   tags={k: str(v) for k, v in request.tags.items()},
                                   properties=as_text, description=request.description)
        return Registration(f"{model.name}:{model.version}", True)

    def describe_dataset(self, dataset_id: str) -> dict:
        """A registered dataset ('name:version') as the workspace keeps it: its type,
        description and content sha256 (the tag dataset registration gives it)."""
        from azureml.core import Dataset
        from azureml.data import FileDataset
        name, _, version = dataset_id.partition(":")
        dataset = Dataset.get_by_name(self.workspace, name, version=version or "latest")
        return {"type": FILE if isinstance(dataset, FileDataset) else TABULAR,
                "description": dataset.description,
                "sha256": (dataset.tags or {}).get(CONTENT_TAG)}


@contextlib.contextmanager
def staged_under_cwd(model_dir: Path) -> Iterator[str]:
    """A copy of `model_dir` in a temporary folder under the working directory, as the
    relative path Model.register accepts; removed on leaving. The copy is called
    STAGED_FOLDER, which the registered asset then has too."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=Path.cwd()))
    try:
        target = staging / STAGED_FOLDER
        shutil.copytree(model_dir, target)
        yield target.relative_to(Path.cwd()).as_posix()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
