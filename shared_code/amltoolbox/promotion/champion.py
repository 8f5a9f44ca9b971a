"""The champion: the latest registered version of a model, which a new model must beat."""
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..hashing import tree_sha256
from ..run_context import is_local

SHA256_PROPERTY = "sha256"


@dataclass(frozen=True)
class ChampionModel:
    """A registered model version and the folder its files are in."""
    id: str
    sha256: str
    path: Path


def find_champion(run, model_name: str) -> ChampionModel | None:
    """The latest registered version of `model_name`, or None when none is registered."""
    if is_local(run):
        record = run.workspace.models.latest(model_name)
        return ChampionModel(record.id, record.sha256, record.path) if record else None
    return _azure_champion(run.experiment.workspace, model_name)


def _azure_champion(workspace, model_name: str) -> ChampionModel | None:
    from azureml.core import Model
    from azureml.exceptions import WebserviceException
    try:
        model = Model(workspace, name=model_name)
    except WebserviceException:
        return None  # no version registered yet
    path = Path(model.download(target_dir=tempfile.mkdtemp(prefix="champion-"), exist_ok=True))
    sha256 = (model.properties or {}).get(SHA256_PROPERTY) or tree_sha256(path)
    return ChampionModel(f"{model.name}:{model.version}", sha256, path)
