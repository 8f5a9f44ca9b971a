"""The local workspace: one folder standing in for an Azure ML workspace; its datasets,
models and runs are imported on first use."""
import functools
from pathlib import Path

from .store import Store

# pylint: disable=import-outside-toplevel  # each part imported when first used


class LocalWorkspace:
    """Datasets, runs and the model registry of one local workspace folder."""

    def __init__(self, root: Path | None = None):
        self.store = Store(root)

    @functools.cached_property
    def datasets(self):
        """Registered datasets (LocalDatasets)."""
        from .datasets import LocalDatasets
        return LocalDatasets(self.store)

    @functools.cached_property
    def models(self):
        """The model registry (LocalModels)."""
        from .models import LocalModels
        return LocalModels(self.store)

    @functools.cached_property
    def runs(self):
        """Pipeline runs (LocalRuns)."""
        from .runs import LocalRuns
        return LocalRuns(self.store)

    @property
    def root(self) -> Path:
        """The workspace folder."""
        return self.store.root

    def close(self) -> None:
        """Release the index."""
        self.store.close()
