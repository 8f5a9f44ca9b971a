"""Register a dataset as an Azure ML SDK v2 data asset: Tabular as mltable, File as uri_folder.

The asset keeps the standard's name (modeltype-project-usage-version), its description
fields and tags, and a content hash tag: registering content identical to the latest
version returns that version, as the local workspace and SDK v1 registration do. A Tabular
dataset's CSV files are uploaded with an MLTable file that reads every CSV file under the
folder as one table, as the local workspace and SDK v1's from_delimited_files read it.
"""
import shutil
import tempfile
from pathlib import Path

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.model_config import DatasetSpec
from shared_code.amltoolbox.naming import check_dataset_name
from shared_code.amltoolbox.pipeline import FILE
from .step_io import MLTABLE, URI_FOLDER

CONTENT_TAG = "content_sha256"
CSV_PATTERN = "**/*.csv"


def copy_files(source: Path, folder: Path) -> Path:
    """`source` (a file, or a folder's files) copied into `folder`."""
    source = Path(source)
    if source.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, folder / source.name)
    else:
        shutil.copytree(source, folder, dirs_exist_ok=True)
    return folder


def write_mltable(folder: Path) -> Path:
    """An MLTable file in `folder` that reads every CSV file under it as one table."""
    import mltable
    # mltable resolves a relative pattern against the working folder, so give it the folder's
    # own; save() writes it relative to the MLTable file, where it reads wherever mounted.
    pattern = f"{Path(folder).resolve().as_posix()}/{CSV_PATTERN}"
    mltable.from_delimited_files(paths=[{"pattern": pattern}]).save(str(folder), overwrite=True)
    return folder / "MLTable"


def stage_dataset(spec: DatasetSpec, folder: Path) -> Path:
    """The folder to upload for `spec`: its files, and for a Tabular dataset an MLTable file."""
    copy_files(Path(spec.path), folder)
    if spec.type != FILE:
        write_mltable(folder)
    return folder


def asset_type(spec: DatasetSpec) -> str:
    """mltable for a Tabular dataset, uri_folder for a File dataset."""
    return URI_FOLDER if spec.type == FILE else MLTABLE


def latest_version(ml_client, name: str):
    """The latest version of data asset `name`, or None when the name is new."""
    from azure.core.exceptions import ResourceNotFoundError
    try:
        return ml_client.data.get(name, label="latest")
    except ResourceNotFoundError:
        return None


def register_data_asset(ml_client, spec: DatasetSpec) -> tuple[object, bool]:
    """Register `spec` as the next version of its data asset; the asset and whether it is new."""
    from azure.ai.ml.entities import Data
    check_dataset_name(spec.name)
    content = tree_sha256(Path(spec.path))
    latest = latest_version(ml_client, spec.name)
    if latest is not None and (latest.tags or {}).get(CONTENT_TAG) == content:
        return latest, False
    version = str(int(latest.version) + 1) if latest is not None else "1"
    with tempfile.TemporaryDirectory(prefix="data-asset-") as staging:
        folder = stage_dataset(spec, Path(staging) / spec.name)
        asset = ml_client.data.create_or_update(Data(
            name=spec.name, version=version, type=asset_type(spec), path=str(folder),
            description=spec.description_text(), tags={**spec.tags, CONTENT_TAG: content}))
    return asset, True


def register_and_report(spec: DatasetSpec) -> int:
    """`datasets register ... --target azureml --sdk v2`: register, say what happened."""
    from .ml_client import workspace_ml_client
    ml_client = workspace_ml_client()
    asset, new = register_data_asset(ml_client, spec)
    print(f"{'registered' if new else 'unchanged, already registered as'} "
          f"{asset.name}:{asset.version} ({asset_type(spec)}) in Azure ML workspace "
          f"{ml_client.workspace_name}")
    return 0
