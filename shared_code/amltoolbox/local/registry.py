"""The Registry of the local workspace: its model registry (local/models.py)."""
from ..promotion.registry import ChampionModel, Registration, RegistrationRequest
from .models import ANY_CHAMPION, LocalModels, model_problem
from .registration_hooks import run_after_registration


class LocalRegistry:
    """Registry over the local workspace's models."""

    def __init__(self, models: LocalModels):
        self.models = models

    def find_champion(self, model_name: str) -> ChampionModel | None:
        """The latest registered version, its files in the workspace, checked against the
        sha256 recorded at registration (a problem is reported, and the files not used)."""
        record = self.models.latest(model_name)
        if record is None:
            return None
        return ChampionModel(record.id, record.sha256, record.path, model_problem(record))

    def register(self, request: RegistrationRequest) -> Registration:
        """Register atomically; the same files (sha256) are never registered twice. A new
        version then gets what the optional packages add to it (its model card)."""
        record, new = self.models.register(
            request.name, request.model_dir, request.description, request.tags,
            request.properties, request.lineage, run_id=request.run_id,
            expected_champion=(request.expected_champion if request.champion_checked
                               else ANY_CHAMPION))
        if new:
            run_after_registration(self.models.store.root, record.id)
        return Registration(record.id, new)
