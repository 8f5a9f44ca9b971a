"""The local workspace: one folder standing in for an Azure ML workspace."""
from pathlib import Path

from .datasets import LocalDatasets
from .models import LocalModels
from .runs import LocalRuns
from .store import Store


class LocalWorkspace:
    """Datasets, runs and the model registry of one local workspace folder."""

    def __init__(self, root: Path | None = None):
        self.store = Store(root)
        self.datasets = LocalDatasets(self.store)
        self.models = LocalModels(self.store)
        self.runs = LocalRuns(self.store)

    @property
    def root(self) -> Path:
        """The workspace folder."""
        return self.store.root

    def close(self) -> None:
        """Release the index."""
        self.store.close()
