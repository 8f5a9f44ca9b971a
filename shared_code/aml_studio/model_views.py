"""What the models pages show: each registered version, and two versions side by side."""
from dataclasses import dataclass

from shared_code.amltoolbox.promotion.registry import SHA256_PROPERTY
from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY
from shared_code.amltoolbox.local.models import ModelRecord
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from .display import is_number, time_text, value_text
from .run_views import Metric, metric

TRAINING_DATA, TESTING_DATA, PIPELINE_RUN = "training_data", "testing_data", "pipeline_run_id"


@dataclass(frozen=True)
class ModelVersion:  # pylint: disable=too-many-instance-attributes  # one per field shown
    """One registered version with its lineage."""
    name: str
    version: int
    created: str
    sha256: str
    description: str
    metrics: list[Metric]
    tags: dict
    properties: dict
    training_data: dict
    testing_data: dict
    run_id: str | None
    git_commit: str | None
    git_dirty: str | None

    @property
    def id(self) -> str:
        """name:version."""
        return f"{self.name}:{self.version}"

    @property
    def datasets(self) -> list[str]:
        """The dataset versions (name:version) it was trained and tested on."""
        return [*self.training_data.values(), *self.testing_data.values()]


def model_version(record: ModelRecord) -> ModelVersion:
    """A registry record as the studio shows it: metrics are its numeric properties."""
    lineage = record.lineage
    return ModelVersion(
        name=record.name, version=record.version, created=record.created, sha256=record.sha256,
        description=record.description,
        metrics=[metric(k, v) for k, v in record.properties.items()
                 if k != SHA256_PROPERTY and is_number(v)],
        tags=dict(record.tags), properties=dict(record.properties),
        training_data=dict(lineage.get(TRAINING_DATA) or {}),
        testing_data=dict(lineage.get(TESTING_DATA) or {}),
        run_id=record.run_id or lineage.get(PIPELINE_RUN),
        git_commit=lineage.get(GIT_COMMIT), git_dirty=lineage.get(GIT_DIRTY))


def all_models(workspace: LocalWorkspace) -> dict[str, list[ModelVersion]]:
    """Every registered version, by model name, oldest version first."""
    models: dict[str, list[ModelVersion]] = {}
    for record in workspace.models.list():
        models.setdefault(record.name, []).append(model_version(record))
    return models


def versions_of(workspace: LocalWorkspace, name: str) -> list[ModelVersion]:
    """One model's versions, oldest first; ModelNotFoundError when it has none."""
    records = workspace.models.list(name)
    if not records:
        workspace.models.get(name)  # raises ModelNotFoundError, saying what to do
    return [model_version(r) for r in records]


@dataclass(frozen=True)
class ComparedField:
    """One field of two versions, side by side."""
    label: str
    left: str
    right: str

    @property
    def differs(self) -> bool:
        """Whether the two versions differ here."""
        return self.left != self.right


def _fields(version: ModelVersion) -> dict[str, str]:
    fields = {"created": time_text(version.created), "sha256": version.sha256,
              "run": version.run_id or "", "git commit": version.git_commit or "",
              "uncommitted changes": version.git_dirty or ""}
    fields.update({f"metric {m.name}": m.text for m in version.metrics})
    fields.update({f"data {k}": v for k, v in {**version.training_data,
                                               **version.testing_data}.items()})
    fields.update({f"tag {k}": value_text(v) for k, v in version.tags.items()})
    return fields


def compare_versions(left: ModelVersion, right: ModelVersion) -> list[ComparedField]:
    """Every field of either version, the left's value beside the right's ('' if absent)."""
    left_fields, right_fields = _fields(left), _fields(right)
    labels = list(dict.fromkeys([*left_fields, *right_fields]))
    return [ComparedField(label, left_fields.get(label, ""), right_fields.get(label, ""))
            for label in labels]
