"""Where a model came from: the datasets, the run and the code version."""
from ..git_info import GIT_COMMIT, GIT_DIRTY


def is_registered(dataset) -> bool:
    """Whether a dataset a run read is a registered one. Azure ML lists an earlier step's
    output among a step's input datasets too, as a saved dataset without a name or version
    (azureml/data/_dataset_lineage.py:52-66, azureml/data/_dataset_rest_helper.py:113-120)."""
    return (dataset is not None and getattr(dataset, "name", None) is not None
            and getattr(dataset, "version", None) is not None)


def input_dataset_versions(run) -> dict[str, str]:
    """The registered datasets a step read, {input name: 'name:version'}, locally or in AML."""
    versions = {}
    for item in run.get_details().get("inputDatasets", []):
        dataset = item.get("dataset")
        input_name = (item.get("consumptionDetails") or {}).get("inputName")
        if is_registered(dataset) and input_name:
            versions[input_name] = f"{dataset.name}:{dataset.version}"
    return versions


def pipeline_run_id(run) -> str:
    """The id of the pipeline run a step belongs to (the step's own id outside a pipeline)."""
    parent = getattr(run, "parent", None)
    return parent.id if parent is not None else run.id


def code_version(run) -> dict[str, str]:
    """The git commit the run's code came from, when it came from git."""
    properties = run.get_properties() or {}
    return {key: properties[key] for key in (GIT_COMMIT, GIT_DIRTY) if key in properties}
