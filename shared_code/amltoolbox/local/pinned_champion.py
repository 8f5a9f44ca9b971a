"""The local registry as a replayed step sees it: the champion pinned to the version the
original step compared with (replay.py), so a replay reads the inputs the step had."""
from ..promotion.registry import ChampionModel
from .models import model_problem

PINNED_CHAMPION = "pinned_champion"  # the run property naming it: 'name:version' or NO_CHAMPION
NO_CHAMPION = "no champion"


def pinned_champion(champion: str | None) -> str | None:
    """'name:version' (or NO_CHAMPION) of a recorded champion identity ('name:version:sha256',
    as the runner fingerprints it); None when the step compared with none."""
    if champion is None or champion == NO_CHAMPION:
        return champion
    name, version = champion.split(":")[:2]
    return f"{name}:{version}"


class PinnedChampionRegistry:
    """A registry whose champion is the pinned version; it registers as `registry` does."""

    def __init__(self, registry, models, pinned: str):
        self.registry, self.models, self.pinned = registry, models, pinned

    def find_champion(self, model_name: str) -> ChampionModel | None:
        """The pinned version of `model_name`, its files checked (None: there was none)."""
        if self.pinned == NO_CHAMPION:
            return None
        record = self.models.get(model_name, int(self.pinned.split(":")[1]))
        return ChampionModel(record.id, record.sha256, record.path, model_problem(record))

    def register(self, request):
        """As the local registry registers."""
        return self.registry.register(request)
