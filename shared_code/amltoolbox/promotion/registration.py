"""What register.py does for every model: obey summary.json, record lineage, register.
summary.json needs only the standard's `register_trained_model`; what the toolbox's evaluate
adds enriches the registration when present, and each one missing is said in one line."""
import json
from pathlib import Path

from ..hashing import tree_sha256
from ..model_config import ModelIdentity
from ..model_io import INFO_FILE, find_model_file
from ..records import NOT_REGISTERED_TAG, REGISTERED_TAG
from .lineage import code_version, pipeline_run_id
from .registry import (SHA256_PROPERTY, ChampionChangedError, Registry, RegistrationRequest)
from .summary import NO_REASON, SUMMARY_FILE, SummaryError, read_summary


def model_lineage(run, model_dir: Path, summary: dict) -> dict:
    """Datasets (name:version), the pipeline run and the code version behind a model."""
    info_file = find_model_file(model_dir).parent / INFO_FILE
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
    if "training_data" not in info:
        print(f"no training data in the lineage: {info_file} (optional, written by the train "
              "step's save_model) does not name it")
    if "test_data" not in summary:
        print(f"no testing data in the lineage: {SUMMARY_FILE} (evaluate's) does not name it")
    return {"training_data": info.get("training_data", {}),
            "testing_data": summary.get("test_data", {}),
            "pipeline_run_id": pipeline_run_id(run),
            **code_version(run)}


def _primary_metric_tag(summary: dict, metrics: dict) -> dict:
    """{primary metric: its value} as a tag, when summary.json names one."""
    primary = summary.get("primary_metric")
    if primary is None:
        print(f"no metric tag: {SUMMARY_FILE} gives no primary_metric")
        return {}
    return {primary: f"{metrics.get(primary)}"}


def register_from_summary(run, model: ModelIdentity, model_dir: str | Path,  # pylint: disable=too-many-arguments
                          score_dir: str | Path, registry: Registry) -> str | None:
    """Register the trained model in `registry` if summary.json says so, tagging the outcome
    on the run; 'name:version' or None."""
    model_dir = Path(model_dir)
    summary = read_summary(score_dir)
    reason = summary.get("reason") or NO_REASON
    if not summary["register_trained_model"]:
        return _not_registered(run, reason)
    sha256 = tree_sha256(model_dir)
    evaluated = summary.get("trained_model_sha256")
    if evaluated and evaluated != sha256:
        raise SummaryError(f"the model in {model_dir} (sha256 {sha256[:12]}) is not the one "
                           f"evaluate scored (sha256 {evaluated[:12]}): nothing is registered; "
                           "run the pipeline again with --no-reuse")
    metrics = {k: v for k, v in (summary.get("metrics") or {}).items()
               if isinstance(v, (int, float))}
    if "champion" not in summary:
        print(f"no champion check: {SUMMARY_FILE} does not say which champion evaluate compared "
              "with, so the latest version is not checked against it")
    request = RegistrationRequest(
        name=model.name, model_dir=model_dir, sha256=sha256, description=model.description,
        tags={**model.tags, **_primary_metric_tag(summary, metrics)},
        properties={**metrics, SHA256_PROPERTY: sha256},
        lineage=model_lineage(run, model_dir, summary), run_id=pipeline_run_id(run),
        expected_champion=(summary.get("champion") or {}).get("id"),
        champion_checked="champion" in summary, summary=summary)
    try:
        registration = registry.register(request)
    except ChampionChangedError as error:
        return _not_registered(run, str(error))
    if not registration.new:
        return _not_registered(run, f"the same model (sha256) is registered already as "
                                    f"{registration.model_id}")
    run.tag(REGISTERED_TAG, registration.model_id)
    print(f"registered {registration.model_id}: {reason}")
    return registration.model_id


def _not_registered(run, reason: str) -> None:
    run.tag(NOT_REGISTERED_TAG, reason)
    print(f"not registered: {reason}")


def register_step(context, name: str, description: str, tags: dict[str, str]) -> str | None:
    """What every model's register.py main(context) does: read the run's `model` and
    `model_score` inputs and register the model in the context's registry under `name`,
    with `description` and `tags`, if its summary says so."""
    run = context.run
    return register_from_summary(run, ModelIdentity(name, description, tags),
                                 run.input_datasets["model"], run.input_datasets["model_score"],
                                 context.registry)
