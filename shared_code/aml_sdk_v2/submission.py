"""Submit a model's v2 pipeline job as a run of its experiment, or publish it for CI.

Publishing in SDK v1 made a published pipeline the default of a pipeline endpoint that CI
triggers. Its SDK v2 counterpart, chosen here, is a batch endpoint whose default
deployment is the pipeline registered as a pipeline component: each publish registers a
component version named by the pipeline's content and makes its deployment the default,
so the endpoint's URL stays and invoking it runs the newest pipeline.
"""
import re
from typing import Sequence

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.amltoolbox.git_info import GIT_COMMIT, git_properties
from shared_code.amltoolbox.hashing import text_sha256
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT, python_name
from shared_code.amltoolbox.pipeline import Step, registered_datasets
from .pipeline_job import build_pipeline_job, check_pipeline_job, pipeline_description

COMPLETED = "Completed"
# Batch endpoint and deployment names: a letter, then letters, digits and dashes, 3 to 32 long.
_ENDPOINT_NAME = re.compile(r"^[a-z][a-z0-9-]{2,31}$")


def resolve_dataset_versions(ml_client, steps: Sequence[Step]) -> dict[str, str]:
    """{name: latest version} of the registered datasets the steps read without a version,
    so the job (and the models' lineage) names exact versions."""
    from azure.core.exceptions import ResourceNotFoundError
    versions = {}
    for source in registered_datasets(steps):
        if source.version:
            continue
        try:
            versions[source.name] = str(ml_client.data.get(source.name, label="latest").version)
        except ResourceNotFoundError:
            raise AzureSetupError(
                f"data asset {source.name} is not registered in workspace "
                f"'{ml_client.workspace_name}'. Register it with `python -m "
                f"shared_code.amltoolbox datasets register {source.name} --target azureml "
                "--sdk v2 ...` (see --help).") from None
    return versions


def compiled_job(ml_client, config: ModelConfig, steps: Sequence[Step], experiment_name: str,
                 compute: str, reuse: bool = True):
    """The pipeline job with the workspace's dataset versions, checked by azure-ai-ml."""
    job = build_pipeline_job(config, steps, experiment_name, compute,
                             resolve_dataset_versions(ml_client, steps), reuse=reuse)
    check_pipeline_job(job)
    return job


def submit_pipeline_job(ml_client, config: ModelConfig, steps: Sequence[Step],
                        experiment_name: str, compute: str, wait: bool = False,
                        reuse: bool = True):
    """Submit the pipeline to the experiment; the job (its final state with `wait`)."""
    job = ml_client.jobs.create_or_update(
        compiled_job(ml_client, config, steps, experiment_name, compute, reuse),
        experiment_name=experiment_name)
    if wait:
        ml_client.jobs.stream(job.name)
        job = ml_client.jobs.get(job.name)
    return job


def succeeded(job) -> bool:
    """Whether a pipeline job completed."""
    return job.status == COMPLETED


def endpoint_name(experiment_name: str) -> str:
    """The batch endpoint's name for an experiment: model_a -> model-a."""
    name = re.sub(r"[^a-z0-9]+", "-", experiment_name.lower()).strip("-")
    if not _ENDPOINT_NAME.match(name):
        raise AzureSetupError(f"'{name}' (from the experiment name '{experiment_name}') cannot "
                              "name a batch endpoint: 3 to 32 lowercase letters, digits and "
                              "dashes, starting with a letter")
    return name


def component_version(job) -> str:
    """A pipeline component version named by the pipeline's content: publishing the same
    pipeline again makes no new version."""
    import yaml
    return text_sha256(yaml.safe_dump(job._to_dict(), sort_keys=True))[:16]  # pylint: disable=protected-access


def publish_pipeline(ml_client, config: ModelConfig, steps: Sequence[Step],
                     experiment_name: str, compute: str):
    """Register the pipeline as a component and make it the default deployment of the
    batch endpoint named after the experiment; the component and the endpoint."""
    from azure.ai.ml.entities import (BatchEndpoint, PipelineComponent,
                                      PipelineComponentBatchDeployment)
    job = compiled_job(ml_client, config, steps, experiment_name, compute)
    version = component_version(job)
    description = pipeline_description(config, steps)
    commit = git_properties(REPO_ROOT).get(GIT_COMMIT)
    component = ml_client.components.create_or_update(PipelineComponent(
        name=python_name(experiment_name), version=version, display_name=config.model_name,
        description=description, jobs=job.jobs, tags={GIT_COMMIT: commit} if commit else {}))
    name = endpoint_name(experiment_name)
    ml_client.batch_endpoints.begin_create_or_update(
        BatchEndpoint(name=name, description=description)).result()
    deployment = f"v-{version}"
    ml_client.batch_deployments.begin_create_or_update(PipelineComponentBatchDeployment(
        name=deployment, endpoint_name=name, component=component,
        settings={"continue_on_step_failure": False, "default_compute": compute},
        description=description)).result()
    endpoint = ml_client.batch_endpoints.get(name)
    endpoint.defaults.deployment_name = deployment
    return component, ml_client.batch_endpoints.begin_create_or_update(endpoint).result()
