"""What a deployment is whatever the SDK that makes it (v1 here, v2 in shared_code/aml_sdk_v2):
its environments, the code it uploads, how many log lines it shows, the service it results
in. Nothing here imports an Azure SDK."""
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..layout import NOT_CODE

ENVIRONMENTS = ("dev", "prd")
LOG_LINES = 200


@dataclass(frozen=True)
class Deployment:
    """A service that is up and answered the smoke test."""
    service_name: str
    model_id: str
    scoring_uri: str
    smoke_test: str


def deployment_source(model_folder: Path, target: Path) -> Path:
    """Copy shared_code and the model folder (no data, notebooks, EDA or caches) into
    `target`, the source directory the SDK uploads whole (it reads no .amlignore)."""
    model_folder = Path(model_folder).resolve()
    skip = shutil.ignore_patterns(*NOT_CODE)
    shutil.copytree(model_folder.parent / "shared_code", target / "shared_code", ignore=skip)
    shutil.copytree(model_folder, target / model_folder.name, ignore=skip)
    return target
