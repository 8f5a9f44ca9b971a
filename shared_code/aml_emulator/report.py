"""What Azure ML would have recorded for an emulated pipeline run, in plain text."""
from typing import Callable

from shared_code.amltoolbox.promotion.registration import REGISTERED_TAG, registration_outcome
from .model_management import registered_files
from .pipeline_runner import EmulatedPipelineResult

# Lineage and checksum properties, shown in full; metrics are shown with the step's metrics.
SHOWN_PROPERTIES = ("sha256", "training_data", "testing_data", "pipeline_run_id",
                    "azureml.git.commit", "azureml.git.dirty")


def outcome(result: EmulatedPipelineResult) -> str:
    """What happened to the model: registered name:version, or why not."""
    return registration_outcome((step.tags for step in result.steps), result.error)


def registered_model(result: EmulatedPipelineResult) -> dict | None:
    """The registry's record of the model this run registered, or None."""
    for step in result.steps:
        if REGISTERED_TAG in step.tags:
            name, _, version = step.tags[REGISTERED_TAG].rpartition(":")
            return next(m for m in result.store.model_versions(name)
                        if str(m["version"]) == version)
    return None


def print_recorded(result: EmulatedPipelineResult, report: Callable[[str], None] = print) -> None:
    """Each step's metrics, images and tags, the registered model, then the outcome."""
    for step in result.steps:
        numbers = {k: v for k, v in step.metrics.items() if isinstance(v, (int, float))}
        if numbers:
            report(f"metrics ({step.name}): "
                   + ", ".join(f"{k}={v:.4g}" for k, v in numbers.items()))
        if step.images:
            report(f"images ({step.name}): {', '.join(step.images)}")
        if step.tags:
            report(f"tags ({step.name}): " + "; ".join(f"{k}={v}" for k, v in step.tags.items()))
    model = registered_model(result)
    if model is not None:
        report(f"model {model['id']} in the registry: tags "
               + ", ".join(f"{k}={v}" for k, v in model["kvTags"].items()))
        for key in SHOWN_PROPERTIES:
            if key in model["properties"]:
                report(f"    {key}: {model['properties'][key]}")
        report(f"    files: {', '.join(registered_files(result.store, model))}")
    report(f"run {result.run_id}: {result.status}; {outcome(result)}")
