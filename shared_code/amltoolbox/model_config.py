"""A model folder's own settings, read from config/model_config.yml."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .naming import check_dataset_name, check_model_name
from .paths import MODEL_CONFIG_FILE, model_folders
from .pipeline import DATASET_TYPES
from .errors import UserError

DESCRIPTION_FIELDS = ("data_source", "content", "original_purpose", "contacts")


class ModelConfigError(UserError):
    """config/model_config.yml is missing something or contradicts the folder it is in."""


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset the model uses: its registered name, type, files and description."""
    name: str
    type: str
    path: str  # relative to the model folder
    description: dict[str, str]
    tags: dict[str, str] = field(default_factory=dict)

    def description_text(self) -> str:
        """The standard's description fields as one text, as AML shows a description."""
        return "\n".join(f"{key.replace('_', ' ').capitalize()}: {self.description[key]}"
                         for key in DESCRIPTION_FIELDS)


@dataclass(frozen=True)
class EvaluationRule:
    """When a new model beats the champion: by `min_improvement` on `primary_metric`."""
    primary_metric: str
    greater_is_better: bool
    min_improvement: float = 0.0

    def is_better(self, new: float, champion: float) -> bool:
        """True when `new` beats `champion` by more than the minimum improvement."""
        gain = new - champion if self.greater_is_better else champion - new
        return gain > self.min_improvement


@dataclass(frozen=True)
class ModelConfig:
    """Everything particular to one model folder."""
    folder: Path
    model_name: str
    description: str
    tags: dict[str, str]
    experiment_name: str
    compute_target: str
    datasets: dict[str, DatasetSpec]
    evaluation: EvaluationRule
    training: dict[str, Any]
    serving: dict[str, Any]

    def dataset(self, usage: str) -> DatasetSpec:
        """The dataset declared under `usage` (training, testing, ...)."""
        try:
            return self.datasets[usage]
        except KeyError:
            raise ModelConfigError(f"{self.folder / MODEL_CONFIG_FILE} declares no '{usage}' "
                                   f"dataset (it has: {', '.join(self.datasets)})") from None


def _require(mapping: dict, key: str, where: str, source: Path) -> Any:
    if not isinstance(mapping, dict) or mapping.get(key) in (None, ""):
        raise ModelConfigError(f"{source}: '{where}{key}' is missing; add it (see model_a's "
                               "config/model_config.yml for an example)")
    return mapping[key]


def _dataset_spec(usage: str, raw: dict, source: Path) -> DatasetSpec:
    where = f"datasets.{usage}."
    name = _require(raw, "name", where, source)
    check_dataset_name(name)
    kind = _require(raw, "type", where, source)
    if kind not in DATASET_TYPES:
        raise ModelConfigError(f"{source}: {where}type is '{kind}'; use one of {DATASET_TYPES}")
    description = _require(raw, "description", where, source)
    for key in DESCRIPTION_FIELDS:
        _require(description, key, f"{where}description.", source)
    return DatasetSpec(name=name, type=kind, path=_require(raw, "path", where, source),
                       description={k: str(v).strip() for k, v in description.items()},
                       tags={k: str(v) for k, v in (raw.get("tags") or {}).items()})


def load_model_config(folder: Path) -> ModelConfig:
    """Read and check a model folder's config/model_config.yml."""
    folder = Path(folder).resolve()
    source = folder / MODEL_CONFIG_FILE
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ModelConfigError(f"{source} does not exist: every model folder needs one") from None
    except yaml.YAMLError as error:
        raise ModelConfigError(f"{source} is not valid YAML: {error}") from None
    model = _require(raw, "model", "", source)
    declared_folder = _require(model, "folder", "model.", source)
    if declared_folder != folder.name:
        raise ModelConfigError(
            f"{source} belongs to the model folder '{declared_folder}', but it is in "
            f"'{folder.name}'. A copied folder must be renamed throughout, or it would register "
            f"under the source's names: run `python -m shared_code.amltoolbox new-model NAME "
            f"--from {declared_folder}` instead, or edit model.folder, model.name, the "
            "azureml names and the dataset names in this file.")
    evaluation = _require(raw, "evaluation", "", source)
    azureml = _require(raw, "azureml", "", source)
    return ModelConfig(
        folder=folder,
        model_name=check_model_name(model.get("name") or folder.name),
        description=str(model.get("description", "")).strip(),
        tags={k: str(v) for k, v in (model.get("tags") or {}).items()},
        experiment_name=_require(azureml, "experiment", "azureml.", source),
        compute_target=_require(azureml, "compute_target", "azureml.", source),
        datasets={usage: _dataset_spec(usage, spec, source)
                  for usage, spec in (_require(raw, "datasets", "", source)).items()},
        evaluation=EvaluationRule(
            primary_metric=_require(evaluation, "primary_metric", "evaluation.", source),
            greater_is_better=bool(evaluation.get("greater_is_better", False)),
            min_improvement=float(evaluation.get("min_improvement", 0.0))),
        training=dict(raw.get("training") or {}),
        serving=dict(raw.get("serving") or {}),
    )


def check_unique_names(config: ModelConfig) -> None:
    """Refuse a model whose registered or dataset names another model folder already uses."""
    for other_folder in model_folders(config.folder.parent):
        if other_folder == config.folder:
            continue
        try:
            other = load_model_config(other_folder)
        except ModelConfigError:
            continue  # that folder's own run reports its problem
        if other.model_name == config.model_name:
            raise ModelConfigError(
                f"{config.folder.name} and {other_folder.name} both register the model "
                f"'{config.model_name}'. Give {config.folder.name} its own model.name in "
                f"{config.folder / MODEL_CONFIG_FILE}.")
        shared = ({d.name for d in config.datasets.values()}
                  & {d.name for d in other.datasets.values()})
        if shared:
            raise ModelConfigError(
                f"{config.folder.name} and {other_folder.name} both use the dataset name(s) "
                f"{', '.join(sorted(shared))}. Give {config.folder.name} its own dataset names "
                f"in {config.folder / MODEL_CONFIG_FILE}.")
