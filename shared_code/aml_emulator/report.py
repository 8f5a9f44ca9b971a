"""What Azure ML would have recorded for an emulated pipeline run, in plain text."""
from shared_code.amltoolbox.progress import Report, print_line
from shared_code.amltoolbox.promotion.registration import REGISTERED_TAG
from shared_code.amltoolbox.records import RunResult, metrics_line, outcome_line
from .model_management import registered_files
from .store import EmulatedStore

# Lineage, checksum and model card properties, shown in full; metrics are shown with the
# step's metrics.
SHOWN_PROPERTIES = ("sha256", "training_data", "testing_data", "pipeline_run_id",
                    "azureml.git.commit", "azureml.git.dirty", "model_card")


def registered_model(result: RunResult, store: EmulatedStore) -> dict | None:
    """The registry's record of the model this run registered, or None."""
    for step in result.steps:
        if REGISTERED_TAG in step.tags:
            name, _, version = step.tags[REGISTERED_TAG].rpartition(":")
            return next(m for m in store.model_versions(name)
                        if str(m["version"]) == version)
    return None


def print_recorded(result: RunResult, store: EmulatedStore, report: Report = print_line) -> None:
    """Each step's metrics, images and tags, the registered model, then the outcome."""
    for step in result.steps:
        if metrics_line(step):
            report(metrics_line(step))
        if step.images:
            report(f"images ({step.name}): {', '.join(step.images)}")
        if step.tags:
            report(f"tags ({step.name}): " + "; ".join(f"{k}={v}" for k, v in step.tags.items()))
    model = registered_model(result, store)
    if model is not None:
        report(f"model {model['id']} in the registry: tags "
               + ", ".join(f"{k}={v}" for k, v in model["kvTags"].items()))
        for key in SHOWN_PROPERTIES:
            if key in model["properties"]:
                report(f"    {key}: {model['properties'][key]}")
        report(f"    files: {', '.join(registered_files(store, model))}")
    report(outcome_line(result))
