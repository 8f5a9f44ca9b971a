"""What register.py does for every model: obey summary.json, record lineage, register."""
import json
from pathlib import Path

from ..hashing import tree_sha256
from ..model_config import ModelIdentity
from ..model_io import INFO_FILE, find_model_file
from ..records import NOT_REGISTERED_TAG, REGISTERED_TAG
from ..run_context import get_registry, get_run_context
from .lineage import code_version, pipeline_run_id
from .registry import (SHA256_PROPERTY, ChampionChangedError, Registry, RegistrationRequest)
from .summary import SummaryError, read_summary


def model_lineage(run, model_dir: Path, summary: dict) -> dict:
    """Datasets (name:version), the pipeline run and the code version behind a model."""
    info_file = find_model_file(model_dir).parent / INFO_FILE
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
    return {"training_data": info.get("training_data", {}),
            "testing_data": summary.get("test_data", {}),
            "pipeline_run_id": pipeline_run_id(run),
            **code_version(run)}


def register_from_summary(run, model: ModelIdentity, model_dir: str | Path,
                          score_dir: str | Path, registry: Registry | None = None) -> str | None:
    """Register the trained model if summary.json says so; return 'name:version' or None.

    The model goes to `registry`, by default the one of where the run is. The outcome is
    tagged on the run, so the pipeline's output and AML's run page show it.
    """
    model_dir = Path(model_dir)
    summary = read_summary(score_dir)
    if not summary["register_trained_model"]:
        return _not_registered(run, summary["reason"])
    sha256 = tree_sha256(model_dir)
    evaluated = summary.get("trained_model_sha256")
    if evaluated and evaluated != sha256:
        raise SummaryError(f"the model in {model_dir} (sha256 {sha256[:12]}) is not the one "
                           f"evaluate scored (sha256 {evaluated[:12]}): nothing is registered; "
                           "run the pipeline again with --no-reuse")
    metrics = {k: v for k, v in summary.get("metrics", {}).items() if isinstance(v, (int, float))}
    request = RegistrationRequest(
        name=model.name, model_dir=model_dir, sha256=sha256, description=model.description,
        tags={**model.tags,
              summary["primary_metric"]: f"{metrics.get(summary['primary_metric'])}"},
        properties={**metrics, SHA256_PROPERTY: sha256},
        lineage=model_lineage(run, model_dir, summary), run_id=pipeline_run_id(run),
        expected_champion=(summary.get("champion") or {}).get("id"))
    try:
        registration = (registry or get_registry()).register(request)
    except ChampionChangedError as error:
        return _not_registered(run, str(error))
    if not registration.new:
        return _not_registered(run, f"the same model (sha256) is registered already as "
                                    f"{registration.model_id}")
    run.tag(REGISTERED_TAG, registration.model_id)
    print(f"registered {registration.model_id}: {summary['reason']}")
    return registration.model_id


def _not_registered(run, reason: str) -> None:
    run.tag(NOT_REGISTERED_TAG, reason)
    print(f"not registered: {reason}")


def register_step(name: str, description: str, tags: dict[str, str]) -> str | None:
    """What every model's register.py main() does: read the run's `model` and `model_score`
    inputs and register the model under `name`, with `description` and `tags`, if its
    summary says so."""
    run = get_run_context()
    return register_from_summary(run, ModelIdentity(name, description, tags),
                                 run.input_datasets["model"], run.input_datasets["model_score"])
