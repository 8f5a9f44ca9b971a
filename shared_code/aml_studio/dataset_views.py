"""What the datasets page shows: every version, its description fields and who uses it."""
from dataclasses import dataclass

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.model_config import DESCRIPTION_FIELDS
from .model_views import all_models

# The labels DatasetSpec.description_text writes each field under ("Data source: ...").
FIELD_LABELS = {key: key.replace("_", " ").capitalize() for key in DESCRIPTION_FIELDS}


@dataclass(frozen=True)
class DatasetVersion:  # pylint: disable=too-many-instance-attributes  # one per field shown
    """One registered dataset version."""
    name: str
    version: int
    type: str
    description: dict
    other_description: str
    tags: dict
    files: int
    created: str
    sha256: str
    used_by: list[tuple[str, int]]  # (model name, version)

    @property
    def id(self) -> str:
        """name:version."""
        return f"{self.name}:{self.version}"


def description_fields(text: str) -> tuple[dict[str, str], str]:
    """The standard's four fields {label: value} from a description, and any other text.

    A line that does not start a field continues the field before it.
    """
    fields: dict[str, str] = {}
    other: list[str] = []
    current = None
    for line in text.splitlines():
        label = next((lab for lab in FIELD_LABELS.values() if line.startswith(f"{lab}:")), None)
        if label is not None:
            current = label
            fields[label] = line[len(label) + 1:].strip()
        elif current is not None:
            fields[current] = f"{fields[current]}\n{line}".strip()
        else:
            other.append(line)
    return {label: fields.get(label, "") for label in FIELD_LABELS.values()}, "\n".join(other)


def dataset_versions(workspace: LocalWorkspace) -> list[DatasetVersion]:
    """Every version of every dataset, with the model versions trained or tested on it."""
    used_by: dict[str, set[tuple[str, int]]] = {}
    for versions in all_models(workspace).values():
        for version in versions:
            for dataset in version.datasets:
                used_by.setdefault(dataset, set()).add((version.name, version.version))
    datasets = []
    for record in workspace.datasets.list():
        fields, other = description_fields(record.description)
        datasets.append(DatasetVersion(
            name=record.name, version=record.version, type=record.type, description=fields,
            other_description=other, tags=dict(record.tags), files=record.files,
            created=record.created, sha256=record.content_sha256,
            used_by=sorted(used_by.get(record.id, set()))))
    return datasets
