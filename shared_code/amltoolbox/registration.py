"""What register.py does for every model: obey summary.json, record lineage, register."""
import json
from pathlib import Path

from .champion import SHA256_PROPERTY
from .hashing import tree_sha256
from .lineage import code_version, pipeline_run_id
from .model_config import ModelConfig, load_model_config
from .model_io import INFO_FILE, find_model_file
from .local.models import ChampionChangedError
from .run_context import get_run_context, is_local
from .summary import SummaryError, read_summary

REGISTERED_TAG = "registered_model"
NOT_REGISTERED_TAG = "not_registered"


def model_lineage(run, model_dir: Path, summary: dict) -> dict:
    """Datasets (name:version), the pipeline run and the code version behind a model."""
    info_file = find_model_file(model_dir).parent / INFO_FILE
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
    return {"training_data": info.get("training_data", {}),
            "testing_data": summary.get("test_data", {}),
            "pipeline_run_id": pipeline_run_id(run),
            **code_version(run)}


def register_from_summary(run, config: ModelConfig, model_dir: str | Path,
                          score_dir: str | Path) -> str | None:
    """Register the trained model if summary.json says so; return 'name:version' or None.

    The outcome is tagged on the run, so the pipeline's output and AML's run page show it.
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
    lineage = model_lineage(run, model_dir, summary)
    metrics = {k: v for k, v in summary.get("metrics", {}).items() if isinstance(v, (int, float))}
    tags = {**config.tags, summary["primary_metric"]: f"{metrics.get(summary['primary_metric'])}"}
    properties = {**metrics, SHA256_PROPERTY: sha256}
    if is_local(run):
        champion = (summary.get("champion") or {}).get("id")
        try:
            record, new = run.workspace.models.register(
                config.model_name, model_dir, config.description, tags, properties, lineage,
                run_id=pipeline_run_id(run), expected_champion=champion)
        except ChampionChangedError as error:
            return _not_registered(run, str(error))
        if not new:
            return _not_registered(run, f"the same model (sha256) is registered already as "
                                        f"{record.id}")
        model_id = record.id
    else:
        model_id = _register_in_azure(run, config, model_dir, tags, properties, lineage)
    run.tag(REGISTERED_TAG, model_id)
    print(f"registered {model_id}: {summary['reason']}")
    return model_id


def _not_registered(run, reason: str) -> None:
    run.tag(NOT_REGISTERED_TAG, reason)
    print(f"not registered: {reason}")


def _register_in_azure(run, config, model_dir, tags, properties, lineage) -> str:
    from azureml.core import Model
    from .azure.model_staging import staged_in_working_directory
    workspace = run.experiment.workspace
    as_text = {k: json.dumps(v) if isinstance(v, dict) else str(v)
               for k, v in {**properties, **lineage}.items()}
    with staged_in_working_directory(model_dir) as model_path:
        model = Model.register(workspace=workspace, model_path=model_path,
                               model_name=config.model_name,
                               tags={k: str(v) for k, v in tags.items()},
                               properties=as_text, description=config.description)
    return f"{model.name}:{model.version}"


def register_step(model_dir: Path) -> str | None:
    """What every model's register.py main() does: read the run's `model` and `model_score`
    inputs and register the model if its summary says so."""
    run = get_run_context()
    return register_from_summary(run, load_model_config(model_dir), run.input_datasets["model"],
                                 run.input_datasets["model_score"])
