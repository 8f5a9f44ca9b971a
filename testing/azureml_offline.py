"""An Azure ML workspace that answers offline, so tests build real SDK objects with no account.

The workspace is a mock; what the SDK reads from it is real enough: its default datastore is
a real AzureBlobDatastore, its compute targets are named like the models' configs, and the
datasets `Dataset.get_by_name` returns are real Tabular/File datasets carrying a registration,
as the service would give. The pipeline's workflow provider (its link to the service) is
mocked by the caller with `mock_workflow_provider`.
"""
import socket
from unittest import mock

from shared_code.amltoolbox.pipeline import FILE

WORKSPACE_NAME = "offline-workspace"
DATASTORE_NAME = "workspaceblobstore"


def offline_workspace(compute_targets=("cpu-cluster",)):
    """A mocked Workspace with a real default datastore and AmlCompute-typed targets."""
    from azureml.core import Workspace
    from azureml.core.compute import AmlCompute
    from azureml.data.azure_storage_datastore import AzureBlobDatastore
    workspace = mock.MagicMock(spec=Workspace)
    workspace.name = WORKSPACE_NAME
    workspace.subscription_id = "00000000-0000-0000-0000-000000000000"
    workspace.resource_group = "offline-resource-group"
    datastore = AzureBlobDatastore(workspace, DATASTORE_NAME, "azureml-blobstore", "offlineaccount")
    workspace.get_default_datastore.return_value = datastore
    targets = {}
    for name in compute_targets:
        target = mock.MagicMock(spec=AmlCompute)
        target.name, target.type = name, "AmlCompute"
        targets[name] = target
    workspace.compute_targets = targets
    return workspace


def registered_dataset(workspace, name: str, dataset_type: str, version: int = 1):
    """A registered dataset as Dataset.get_by_name returns it, made without the service."""
    from azureml.data import FileDataset, TabularDataset
    from azureml.data.abstract_dataset import _DatasetRegistration
    registration = _DatasetRegistration(workspace, saved_id=f"saved-{name}-{version}",
                                        registered_id=f"registered-{name}", name=name,
                                        version=version)
    kind = FileDataset if dataset_type == FILE else TabularDataset
    return kind._create("{}", registration=registration)  # pylint: disable=protected-access


def dataset_lookup(workspace, types_by_name: dict[str, str]):
    """A stand-in for Dataset.get_by_name: the named datasets exist, any other is not found."""
    from azureml.exceptions import UserErrorException

    def get_by_name(_workspace, name, version="latest"):
        if name not in types_by_name:
            raise UserErrorException(f'Cannot find dataset registered with name "{name}" in '
                                     "the workspace.")
        return registered_dataset(workspace, name, types_by_name[name],
                                  1 if version == "latest" else int(version))
    return get_by_name


def model_dataset_types(config) -> dict[str, str]:
    """{registered name: type} of a model config's datasets."""
    return {spec.name: spec.type for spec in config.datasets.values()}


def mock_workflow_provider(mocker):
    """Keep the pipeline's workflow provider from contacting the service."""
    from azureml.pipeline.core._aeva_provider import _AevaWorkflowProvider
    return mocker.patch.object(_AevaWorkflowProvider, "create_provider")


def offline_model_workspace(config, mocker, max_nodes: int | None = None):
    """An offline workspace holding the model's datasets and compute target (of `max_nodes`
    nodes, when given: ParallelRunConfig checks its node count against the cluster's),
    `mocker` keeping its datasets and the pipeline's workflow provider from the service."""
    offline = offline_workspace(compute_targets=(config.compute_target,))
    if max_nodes is not None:
        offline.compute_targets[config.compute_target].scale_settings = mock.Mock(
            maximum_node_count=max_nodes)
    mocker.patch("azureml.core.Dataset.get_by_name",
                 side_effect=dataset_lookup(offline, model_dataset_types(config)))
    mock_workflow_provider(mocker)
    return offline


def refuse_connections(monkeypatch) -> list:
    """Make every socket connection fail; the list records the addresses tried."""
    attempts = []

    def refuse(_socket, address, *_args):
        attempts.append(address)
        raise OSError(f"tests must not reach the network (tried {address})")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def without_workspace_settings(monkeypatch, mocker, folder) -> None:
    """No workspace config.json nor AZUREML_*/AZURE_* variables: as on a machine never set up
    for Azure, with `folder` as both the repository root and the working directory."""
    from shared_code.amltoolbox.azure import workspace
    for variable in (*workspace.WORKSPACE_VARS, *workspace.SERVICE_PRINCIPAL_VARS):
        monkeypatch.delenv(variable, raising=False)
    mocker.patch.object(workspace, "REPO_ROOT", folder)
    monkeypatch.chdir(folder)
