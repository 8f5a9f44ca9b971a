"""Every place where the emulator stands in for Azure ML, and what Azure ML would do there.

Outside HTTP (the runner, pipeline_runner.py, plays the execution service):

- compute node: each step runs in a subprocess on this machine, with this Python, instead
  of a container built from the model's conda environment on the cluster named in the
  model's config (that cluster exists in the emulated workspace with the name asked for);
- snapshot: the source directory's snapshot files (snapshot.py) are copied into the job's
  working directory instead of uploaded and downloaded;
- data delivery: a mounted or downloaded input is a copy of its files, and a mounted
  output a folder copied to the datastore when the step ends, all in the job's data
  folders outside its working directory, where Azure ML's data runtime mounts (FUSE) or
  downloads them; a direct (Tabular) input is the saved dataset id, as in Azure ML;
- registered datasets: the local workspace's registered datasets are registered in the
  emulated workspace with the same names, versions and files (registered_datasets.py),
  defined over the local files instead of the datastore;
- run properties: the code's git state (azureml.git.*), which the SDK sends with each
  step's module and snapshot, is a property of the pipeline run and of each step run;
- replay (replay.py, not a service of Azure ML): a step run also keeps its job's definition
  and its outputs' hashes; a replayed step's job sees the registry as it was when the
  original step started (store.REGISTRY_AS_OF_ENV_VAR), where Azure ML has no such view;
- run status: a step run is Completed when its script exits 0, else Failed, and the
  pipeline run stops at the first failed step (continue_on_step_failure=False), as the
  execution service does; step reuse is not emulated: every step runs;
- sign-in: the submitter signs in with a token the emulated service accepts
  (workspace.EmulatedSignIn) instead of Azure AD; a job gets an AMLToken as Azure ML
  gives one, which the SDK only reads the expiry of (identity.run_token);
- logs: a job's output is written straight to its run's artifacts
  (ExperimentRun/dcid.<run id>/user_logs/std_log.txt), where Azure ML uploads it;
- telemetry: none is sent (HBI_WORKSPACE_JOB, set in __init__.py and job_environment.py),
  as from a high-business-impact workspace;
- the network: no request leaves the process (http_transport.py); the SDK's requests to
  the emulated hosts are answered by ROUTES below, any other host is refused. The SDK
  caches the emulated workspace's endpoints in ~/.azureml/.discovery, as it caches any
  workspace's, under one workspace id (identity.WORKSPACE_ID).

ROUTES: each HTTP request the SDK makes in the emulated workspace, and its answer. The
templates of the REST services are the SDK's own operations' URLs.
"""
from azureml._restclient.operations.artifact_operations import ArtifactOperations
from azureml._restclient.operations.assets_operations import AssetsOperations
from azureml._restclient.operations.data_stores_operations import DataStoresOperations
from azureml._restclient.operations.dataset_operations import DatasetOperations
from azureml._restclient.operations.events_operations import EventsOperations
from azureml._restclient.operations.metric_operations import MetricOperations
from azureml._restclient.operations.ml_models_operations import MLModelsOperations
from azureml._restclient.operations.run_metric_operations import RunMetricOperations
from azureml._restclient.operations.run_operations import RunOperations

from . import (artifact_service, dataset_service, model_management, pipeline_service,
               run_history, workspace_service)
from .http_transport import Route
from .identity import ARM_HOST, SERVICE_HOST, STORAGE_HOST


def _rest(method: str, operation, handler) -> Route:
    """A route at the URL of one of the SDK's REST operations."""
    return Route(method, SERVICE_HOST, operation.metadata["url"], handler)


_WORKSPACE = ("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/"
              "Microsoft.MachineLearningServices/workspaces/{workspaceName}")

ROUTES = (
    # Azure Resource Manager: the public cloud's endpoints, loaded before signing in.
    Route("GET", ARM_HOST, "/metadata/endpoints", workspace_service.cloud_metadata),
    # Service discovery: where the region's services are. Here: all on the emulated host.
    Route("GET", SERVICE_HOST, "/discovery", workspace_service.discovery),
    # Resource provider: the workspace's compute targets (ComputeTarget.list).
    Route("GET", SERVICE_HOST, f"/rp/workspaces{_WORKSPACE}/computes",
          workspace_service.list_computes),

    # Pipelines: the data types every pipeline graph needs.
    Route("GET", SERVICE_HOST, f"/pipelines/v1.0{_WORKSPACE}/DataTypes",
          pipeline_service.list_datatypes),

    # Run history: a run, its details (with the datasets it read), tags and properties,
    # the error run.fail() posts, and its metrics.
    _rest("GET", RunOperations.get_by_exp_id, run_history.get_run),
    _rest("PATCH", RunOperations.patch_by_exp_id, run_history.patch_run),
    _rest("GET", RunOperations.get_details, run_history.get_details),
    _rest("POST", EventsOperations.post, run_history.post_event),
    _rest("POST", MetricOperations.post_run_metrics, run_history.post_metrics),
    _rest("GET", RunMetricOperations.wait_on_ingest, run_history.metrics_ingested),

    # Artifacts: a run's files (its images) and a model's files, written and read through SAS
    # URLs on the workspace's storage account.
    _rest("POST", ArtifactOperations.batch_create_empty_artifacts,
          artifact_service.create_empty_artifacts),
    _rest("GET", ArtifactOperations.list_sas_by_prefix, artifact_service.contents_under_prefix),
    # Blob storage: the bytes behind those SAS URLs.
    Route("PUT", STORAGE_HOST, "/{container}/{path}", artifact_service.put_blob),
    Route("GET", STORAGE_HOST, "/{container}/{path}", artifact_service.get_blob),
    Route("HEAD", STORAGE_HOST, "/{container}/{path}", artifact_service.blob_properties),

    # Model management: assets (a prefix of uploaded artifacts) and the model registry.
    _rest("POST", AssetsOperations.create, model_management.create_asset),
    _rest("GET", AssetsOperations.query_by_id, model_management.get_asset),
    _rest("POST", MLModelsOperations.register, model_management.register_model),
    _rest("GET", MLModelsOperations.query_by_id, model_management.get_model),
    _rest("GET", MLModelsOperations.list_query, model_management.list_models),

    # Datastores: the workspace's default blob container.
    _rest("GET", DataStoresOperations.get_default, dataset_service.get_default_datastore),
    # Datasets: by name, by saved id (registered or not), and their definitions.
    _rest("GET", DatasetOperations.get_dataset_by_name, dataset_service.get_by_name),
    _rest("GET", DatasetOperations.get_datasets_by_saved_dataset_id,
          dataset_service.get_registered_by_saved_id),
    _rest("GET", DatasetOperations.get_by_id, dataset_service.get_saved),
    Route("GET", SERVICE_HOST, f"/data/v1.0{_WORKSPACE}/dataversion/{{name}}/versions/{{version}}",
          dataset_service.get_rslex_definition),
)
