"""The hand-over from CI to CD: registered_model.json, written by CI after the model's
pipeline ran (the latest registered version then), read by `deploy --artifact` in every
stage of the release, even if a newer version is registered while it waits for approval."""
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .azure_service import registered_model
from .errors import DeploymentError

ARTIFACT_FILE = "registered_model.json"


@dataclass(frozen=True)
class ReleaseArtifact:
    """A registered model version, and the model folder it came from."""
    model_folder: str
    name: str
    version: int


def write_release_artifact(path: Path, artifact: ReleaseArtifact) -> Path:
    """Write the artifact as JSON to `path` (a file, or a folder to hold registered_model.json)."""
    path = Path(path)
    if path.is_dir() or not path.suffix:
        path = path / ARTIFACT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(artifact), indent=2) + "\n", encoding="utf-8")
    return path


def read_release_artifact(path: Path) -> ReleaseArtifact:
    """The artifact written by the CI, or a DeploymentError saying what is wrong with the file."""
    path = Path(path)
    if path.is_dir():
        path = path / ARTIFACT_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return ReleaseArtifact(model_folder=str(raw["model_folder"]), name=str(raw["name"]),
                               version=int(raw["version"]))
    except FileNotFoundError:
        raise DeploymentError(f"{path} does not exist: point --artifact at the registered_model "
                              "artifact that the model's CI published") from None
    except (ValueError, KeyError, TypeError) as error:
        raise DeploymentError(f"{path} is not a release artifact ({error!r}); it needs "
                              "model_folder, name and an integer version") from None


def latest_registered_version(workspace, name: str) -> int:
    """The newest version of the registered model `name` in an Azure ML workspace."""
    return int(registered_model(workspace, name).version)


def version_for(artifact: ReleaseArtifact, model_name: str) -> int:
    """The artifact's version, once it is certain the artifact is about `model_name`."""
    if artifact.name != model_name:
        raise DeploymentError(
            f"the release artifact names the model {artifact.name} (folder "
            f"{artifact.model_folder}), not {model_name}: the release links the wrong CI build")
    return artifact.version
