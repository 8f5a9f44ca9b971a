"""The pipeline's registered datasets, registered in the emulated workspace too.

The local workspace holds the registered datasets (the local runner prepares them on
first use); the emulated workspace registers the same name and version over the same
immutable files, as `datasets register --target azureml` would in Azure ML (with its content
hash tag, aml_sdk_v1/datasets.py), and refuses what Azure ML refuses there.
"""
from typing import Sequence

from azureml.data.dataset_error_handling import DatasetValidationError

from shared_code.amltoolbox.azure_settings import CONTENT_TAG
from shared_code.amltoolbox.csv_reading import DatasetReadError
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.pipeline import Step, registered_datasets
from .dataset_service import registered_version, save_dataset
from .store import EmulatedStore


def register_pipeline_datasets(store: EmulatedStore, steps: Sequence[Step],
                               local_workspace: LocalWorkspace) -> list[str]:
    """Register each dataset the steps read (as the local workspace has it); their ids."""
    registered = []
    for source in registered_datasets(steps):
        record = local_workspace.datasets.get(source.name, source.version)
        if registered_version(store, record.name, record.version) is None:
            try:
                tags = {**record.tags, CONTENT_TAG: record.content_sha256}
                save_dataset(store, record.type, str(record.path), record.name, record.version,
                             record.description, tags)
            except DatasetValidationError as error:
                raise DatasetReadError(
                    f"dataset '{record.name}' version {record.version} cannot be registered in "
                    f"Azure ML, whose SDK refuses a Tabular dataset without data "
                    f"({' '.join(error.message.split())}); its files are in {record.path}. "
                    "Fix the source data and register the dataset again.") from None
        registered.append(record.id)
    return registered
