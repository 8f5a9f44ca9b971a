"""The Registry (promotion/registry.py) of an Azure ML workspace through SDK v2's MLClient,
with the rules of the local one.

find_champion(name) and register(...) have the local registry's meaning: the champion is
the latest version; a model whose sha256 is registered already is not registered again;
a model evaluated against one champion is not registered once another version has taken
its place (ChampionChangedError). The sha256, metrics and lineage go into the version's
properties, as SDK v1 registration puts them, and the model card goes with the model's files
(written into a staged copy first, promotion/registered_extras.py), named in its properties.
"""
import json
import shutil
import tempfile
from pathlib import Path

from shared_code.amltoolbox.model_io import MODEL_FILE, ModelFileError, model_sha256
from shared_code.amltoolbox.naming import check_model_name
from shared_code.amltoolbox.promotion.registered_extras import add_beside_the_model
from shared_code.amltoolbox.promotion.registry import (SHA256_PROPERTY, ChampionChangedError,
                                                       ChampionModel, Registration,
                                                       RegistrationRequest)

CUSTOM_MODEL = "custom_model"


def model_id(model) -> str:
    """name:version of an azure.ai.ml Model."""
    return f"{model.name}:{model.version}"


def properties_as_text(properties: dict) -> dict[str, str]:
    """Registry properties are strings: mappings as JSON, everything else as str()."""
    return {key: json.dumps(value, sort_keys=True) if isinstance(value, dict) else str(value)
            for key, value in properties.items()}


def model_folder_in(download: Path) -> Path:
    """The folder holding model.pkl in a downloaded model (MLClient nests it under the
    model's name and its registered folder's name, azure/ai/ml/operations/
    _model_operations.py:515)."""
    found = sorted(Path(download).rglob(MODEL_FILE), key=lambda p: len(p.parts))
    if not found:
        raise ModelFileError(f"the champion downloaded to {download} holds no {MODEL_FILE}")
    return found[0].parent


class MlClientRegistry:
    """A workspace's model registry: find the champion, register a new version."""

    def __init__(self, ml_client):
        self.ml_client = ml_client

    def versions(self, name: str) -> list:
        """Every registered version of `name`, oldest first ([] for a new name)."""
        return sorted(self.ml_client.models.list(name=name), key=lambda m: int(m.version))

    def find_champion(self, model_name: str) -> ChampionModel | None:
        """The latest version of `model_name`, downloaded, or None when none is registered."""
        versions = self.versions(model_name)
        if not versions:
            return None
        latest = versions[-1]
        download = Path(tempfile.mkdtemp(prefix="champion-"))
        self.ml_client.models.download(name=model_name, version=latest.version,
                                       download_path=str(download))
        path = model_folder_in(download)
        sha256 = (latest.properties or {}).get(SHA256_PROPERTY) or model_sha256(path)
        return ChampionModel(model_id(latest), sha256, path)

    def register(self, request: RegistrationRequest) -> Registration:
        """Register the request's folder as the next version of its name (see the module's
        docstring). The lineage names the pipeline job: azure-ai-ml sends no job with a new
        version (its Model.job_name is read back only, azure/ai/ml/entities/_assets/
        _artifacts/model.py:94 and :211)."""
        from azure.ai.ml.entities import Model
        check_model_name(request.name)
        versions = self.versions(request.name)
        for version in versions:
            if (version.properties or {}).get(SHA256_PROPERTY) == request.sha256:
                return Registration(model_id(version), False)
        latest = model_id(versions[-1]) if versions else None
        if request.champion_checked and latest != request.expected_champion:
            raise ChampionChangedError(
                f"the champion changed since evaluation (it was "
                f"{request.expected_champion or 'none'}, it is now {latest}): run the pipeline "
                "again to compare with it")
        expected_id = f"{request.name}:{int(versions[-1].version) + 1 if versions else 1}"
        with tempfile.TemporaryDirectory(prefix="register-") as staging:
            # The copy keeps the folder's name: the registered layout is unchanged.
            staged = Path(staging) / Path(request.model_dir).name
            shutil.copytree(request.model_dir, staged)
            extras = add_beside_the_model(request, staged, expected_id, self.describe_dataset)
            text = properties_as_text({**request.properties, **request.lineage,
                                       SHA256_PROPERTY: request.sha256, **extras})
            model = self.ml_client.models.create_or_update(Model(
                name=request.name, path=str(staged), type=CUSTOM_MODEL,
                description=request.description, properties=text,
                tags={key: str(value) for key, value in request.tags.items()}))
        return Registration(model_id(model), True)

    def describe_dataset(self, dataset_id: str) -> dict:
        """A data asset ('name:version') as the workspace keeps it: its type, description and
        content sha256 (the tag data_assets.py gives it)."""
        from .data_assets import CONTENT_TAG
        name, _, version = dataset_id.partition(":")
        data = (self.ml_client.data.get(name, version=version) if version
                else self.ml_client.data.get(name, label="latest"))
        return {"type": data.type, "description": data.description,
                "sha256": (data.tags or {}).get(CONTENT_TAG)}
