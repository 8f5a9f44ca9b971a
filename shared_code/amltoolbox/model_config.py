"""A model folder's own settings: config/model_config.yml, and the registered model's name,
description and tags, read as literals from script_steps/register.py (never imported)."""
import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import UserError
from .layout import ModelLayout, model_folders
from .naming import check_dataset_name, check_model_name
from .own_code import check_own_code, describe_foreign_imports
from .pipeline import DATASET_TYPES

DESCRIPTION_FIELDS = ("data_source", "content", "original_purpose", "contacts")
# The tags the standard suggests for a dataset, set from the config on registration.
USAGE_TAG, MODELS_TAG = "Usage", "Models Using This Dataset"
MODELS_SEPARATOR = ", "
IDENTITY_NAMES = ("MODEL_NAME", "MODEL_DESCRIPTION", "MODEL_TAGS")
# libyaml's parser where PyYAML has it (its wheels do): a tenth of the pure-Python parser's
# time, and every run reads every model folder's config (check_unique_names).
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ModelConfigError(UserError):
    """config/model_config.yml or register.py is missing something, or contradicts the folder
    it is in."""


@dataclass(frozen=True)
class ModelIdentity:
    """How the model is registered: its name, description and tags (register.py)."""
    name: str
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)


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
    """When a new model beats the champion: by `min_improvement` on `primary_metric`; and
    the quality floor, below which no model is registered: it must beat the model's naive
    baseline by `min_improvement_over_baseline`."""
    primary_metric: str
    greater_is_better: bool
    min_improvement: float = 0.0
    min_improvement_over_baseline: float = 0.0

    def gain(self, new: float, old: float) -> float:
        """How much better `new` is than `old` (negative: worse)."""
        return new - old if self.greater_is_better else old - new

    def is_better(self, new: float, champion: float) -> bool:
        """True when `new` beats `champion` by more than the minimum improvement."""
        return self.gain(new, champion) > self.min_improvement

    def beats_baseline(self, new: float, baseline: float) -> bool:
        """True when `new` beats the naive baseline by more than its minimum improvement."""
        return self.gain(new, baseline) > self.min_improvement_over_baseline


@dataclass(frozen=True)
class ModelConfig:  # pylint: disable=too-many-instance-attributes  # one per config section
    """Everything particular to one model folder."""
    folder: Path
    model_name: str
    description: str
    tags: dict[str, str]
    compute_target: str
    datasets: dict[str, DatasetSpec]
    evaluation: EvaluationRule
    training: dict[str, Any]
    serving: dict[str, Any]
    drift: dict[str, Any] = field(default_factory=dict)  # optional: read by model_monitoring

    @property
    def identity(self) -> ModelIdentity:
        """The registered model's name, description and tags."""
        return ModelIdentity(self.model_name, self.description, self.tags)

    @property
    def layout(self) -> ModelLayout:
        """Where the folder's files are."""
        return ModelLayout(self.folder)

    def dataset(self, usage: str) -> DatasetSpec:
        """The dataset declared under `usage` (training, testing, ...)."""
        try:
            return self.datasets[usage]
        except KeyError:
            raise ModelConfigError(f"{self.layout.model_config} declares no '{usage}' dataset "
                                   f"(it has: {', '.join(self.datasets)})") from None


def models_using(tags: dict) -> list[str]:
    """The models a dataset's `Models Using This Dataset` tag lists, in order."""
    return [name.strip() for name in str(tags.get(MODELS_TAG) or "").split(",") if name.strip()]


def tags_with_model(tags: dict, model_name: str) -> dict:
    """A dataset's tags with `model_name` added to those it lists as using it."""
    users = models_using(tags)
    return {**tags, MODELS_TAG: MODELS_SEPARATOR.join(
        users if model_name in users else [*users, model_name])}


def _require(mapping: dict, key: str, where: str, source: Path) -> Any:
    if not isinstance(mapping, dict) or mapping.get(key) in (None, ""):
        raise ModelConfigError(f"{source}: '{where}{key}' is missing; add it (see model_a's "
                               "config/model_config.yml for an example)")
    return mapping[key]


def _dataset_spec(usage: str, raw: dict, source: Path, model_name: str) -> DatasetSpec:
    where = f"datasets.{usage}."
    name = _require(raw, "name", where, source)
    check_dataset_name(name)
    kind = _require(raw, "type", where, source)
    if kind not in DATASET_TYPES:
        raise ModelConfigError(f"{source}: {where}type is '{kind}'; use one of {DATASET_TYPES}")
    description = _require(raw, "description", where, source)
    for key in DESCRIPTION_FIELDS:
        _require(description, key, f"{where}description.", source)
    tags = {USAGE_TAG: usage, MODELS_TAG: model_name,
            **{k: str(v) for k, v in (raw.get("tags") or {}).items()}}
    return DatasetSpec(name=name, type=kind, path=_require(raw, "path", where, source),
                       description={k: str(v).strip() for k, v in description.items()},
                       tags=tags)


def read_model_identity(layout: ModelLayout) -> ModelIdentity:
    """MODEL_NAME, MODEL_DESCRIPTION and MODEL_TAGS as register.py assigns them: a missing
    name defaults to the folder's, a value that is not a literal is refused."""
    source = layout.register_script
    if not source.is_file():
        return ModelIdentity(name=layout.name)
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
    except SyntaxError as error:
        raise ModelConfigError(f"{source} is not valid Python: {error}") from None
    found: dict[str, Any] = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id in IDENTITY_NAMES):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                raise ModelConfigError(
                    f"{source}:{node.lineno}: {node.targets[0].id} must be a plain literal (a "
                    "string, or a dict of strings for MODEL_TAGS), not an expression") from None
    tags = found.get("MODEL_TAGS") or {}
    if not isinstance(tags, dict):
        raise ModelConfigError(f"{source}: MODEL_TAGS must be a dict of tag names to values")
    return ModelIdentity(name=str(found.get("MODEL_NAME") or layout.name),
                         description=" ".join(str(found.get("MODEL_DESCRIPTION", "")).split()),
                         tags={str(k): str(v) for k, v in tags.items()})


def load_model_config(folder: Path) -> ModelConfig:
    """Read and check a model folder's config/model_config.yml and register.py's identity."""
    layout = ModelLayout(Path(folder).resolve())
    source = layout.model_config
    try:
        raw = yaml.load(source.read_text(encoding="utf-8"), Loader=YamlLoader) or {}
    except FileNotFoundError:
        raise ModelConfigError(f"{source} does not exist: every model folder needs one") from None
    except yaml.YAMLError as error:
        raise ModelConfigError(f"{source} is not valid YAML: {error}") from None
    model = _require(raw, "model", "", source)
    declared_folder = _require(model, "folder", "model.", source)
    if declared_folder != layout.name:
        foreign = describe_foreign_imports(layout.folder)
        raise ModelConfigError(
            f"{source} belongs to the model folder '{declared_folder}', but it is in "
            f"'{layout.name}'. A copied folder must be renamed throughout, or it would register "
            f"under the source's names: run `python -m shared_code.amltoolbox new-model NAME "
            f"--from {declared_folder}` instead, or edit model.folder in this file and "
            "MODEL_NAME in script_steps/register.py." + (f"\n{foreign}" if foreign else ""))
    identity = read_model_identity(layout)
    model_name = check_model_name(identity.name)
    evaluation = _require(raw, "evaluation", "", source)
    azureml = _require(raw, "azureml", "", source)
    return ModelConfig(
        folder=layout.folder,
        model_name=model_name,
        description=identity.description,
        tags=identity.tags,
        compute_target=_require(azureml, "compute_target", "azureml.", source),
        datasets={usage: _dataset_spec(usage, spec, source, model_name)
                  for usage, spec in (_require(raw, "datasets", "", source)).items()},
        evaluation=EvaluationRule(
            primary_metric=_require(evaluation, "primary_metric", "evaluation.", source),
            greater_is_better=bool(evaluation.get("greater_is_better", False)),
            min_improvement=float(evaluation.get("min_improvement", 0.0)),
            min_improvement_over_baseline=float(
                evaluation.get("min_improvement_over_baseline", 0.0))),
        training=dict(raw.get("training") or {}),
        serving=dict(raw.get("serving") or {}),
        drift=_optional_section(raw, "drift", source),
    )


def check_model_folder(config: ModelConfig) -> None:
    """Before anything runs: the folder runs its own code and registers under its own name."""
    check_own_code(config.folder)
    check_unique_names(config)


def _optional_section(raw: dict, key: str, source: Path) -> dict[str, Any]:
    """A section the toolbox does not need (its absence is fine), which must be a mapping."""
    section = raw.get(key) or {}
    if not isinstance(section, dict):
        raise ModelConfigError(f"{source}: '{key}' must be a mapping of settings (key: value), "
                               f"not {section!r}")
    return dict(section)


def check_unique_names(config: ModelConfig) -> None:
    """Refuse a model whose registered name another model folder already uses (dataset
    names may be shared: their `Models Using This Dataset` tag lists every model)."""
    for other_folder in model_folders(config.folder.parent):
        if other_folder == config.folder or not _may_register(other_folder, config.model_name):
            continue
        try:
            other = load_model_config(other_folder)
        except ModelConfigError:
            continue  # that folder's own run reports its problem
        if other.model_name == config.model_name:
            raise ModelConfigError(
                f"{config.folder.name} and {other_folder.name} both register the model "
                f"'{config.model_name}'. Give {config.folder.name} its own MODEL_NAME in "
                f"{config.layout.register_script}.")


def _may_register(folder: Path, name: str) -> bool:
    """Whether a model folder can register `name`: its register.py's text holds it (as
    MODEL_NAME's literal), or the name is the folder's own (MODEL_NAME's default). A text
    search, so that a run in a repository of 100 models does not read and check every other
    model's config (0.2 s a run); a folder it cannot read is checked in full."""
    try:
        text = ModelLayout(folder).register_script.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True
    return name in text or folder.name == name
