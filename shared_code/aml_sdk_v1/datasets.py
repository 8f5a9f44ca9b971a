"""Register a dataset in an Azure ML workspace (`datasets register --target azureml`, SDK v1):
upload its files, register a new version.

Files go to the default datastore under datasets/<name>/<content hash>/, so a new version
never overwrites the files an earlier version points at. Registering content identical to
the latest version returns that version, as the local workspace does.
"""
import glob
from pathlib import Path

from azureml.core import Dataset
from azureml.exceptions import UserErrorException

from shared_code.amltoolbox.azure_settings import CONTENT_TAG
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.model_config import (MODELS_TAG, DatasetSpec, models_using,
                                                 tags_with_model)
from shared_code.amltoolbox.naming import check_dataset_name
from shared_code.amltoolbox.pipeline import FILE

DATASTORE_FOLDER = "datasets"


def datastore_folder(name: str, content_sha256: str) -> str:
    """Where a dataset version's files go on the datastore."""
    return f"{DATASTORE_FOLDER}/{name}/{content_sha256[:16]}"


def latest_version(workspace, name: str):
    """The latest registered version of `name`, or None when the name is new."""
    try:
        return Dataset.get_by_name(workspace, name)
    except UserErrorException:
        return None


def upload(source: Path, datastore, folder: str):
    """Upload a file, or a folder's files, to `folder` on the datastore; a FileDataset of them."""
    source = Path(source).resolve()
    if source.is_file():  # upload_directory matches its pattern against absolute paths
        return Dataset.File.upload_directory(str(source.parent), (datastore, folder),
                                             pattern=glob.escape(source.as_posix()),
                                             overwrite=True)
    return Dataset.File.upload_directory(str(source), (datastore, folder), overwrite=True)


def tabular_path(source: Path, folder: str) -> str:
    """The CSV files of an uploaded source, as the local workspace reads them: the file itself,
    or every *.csv under the folder."""
    return f"{folder}/{Path(source).name}" if Path(source).is_file() else f"{folder}/**/*.csv"


def with_models_of(dataset, spec: DatasetSpec):
    """The registered `dataset` with the models `spec` tags as using it added to its own
    `Models Using This Dataset` tag, as the local workspace adds them.

    Azure ML's add_tags refuses a new value for an existing key
    (azureml/data/abstract_dataset.py, add_tags), so the tag is removed, then added again.
    """
    tags = dict(dataset.tags or {})
    merged = tags
    for model_name in models_using(spec.tags):
        merged = tags_with_model(merged, model_name)
    if merged.get(MODELS_TAG) == tags.get(MODELS_TAG):
        return dataset
    if MODELS_TAG in tags:
        dataset = dataset.remove_tags([MODELS_TAG])
    return dataset.add_tags({MODELS_TAG: merged[MODELS_TAG]})


def register_dataset(workspace, spec: DatasetSpec) -> tuple[object, bool]:
    """Register `spec` (files at spec.path) as the next version of spec.name in `workspace`.

    Returns the registered dataset and whether a new version was made.
    """
    check_dataset_name(spec.name)
    source = Path(spec.path)
    content = tree_sha256(source)
    latest = latest_version(workspace, spec.name)
    if latest is not None and (latest.tags or {}).get(CONTENT_TAG) == content:
        return with_models_of(latest, spec), False
    datastore = workspace.get_default_datastore()
    folder = datastore_folder(spec.name, content)
    dataset = upload(source, datastore, folder)
    if spec.type != FILE:
        dataset = Dataset.Tabular.from_delimited_files(
            path=(datastore, tabular_path(source, folder)))
    registered = dataset.register(workspace=workspace, name=spec.name,
                                  description=spec.description_text(),
                                  tags={**spec.tags, CONTENT_TAG: content},
                                  create_new_version=True)
    return registered, True


def register_and_report(spec: DatasetSpec) -> int:
    """`datasets register ... --target azureml`: register, say what happened."""
    from shared_code.amltoolbox.azure.workspace import get_workspace
    workspace = get_workspace()
    dataset, new = register_dataset(workspace, spec)
    print(f"{'registered' if new else 'unchanged, already registered as'} "
          f"{dataset.name}:{dataset.version} ({spec.type}) in Azure ML workspace {workspace.name}")
    return 0
