"""The emulated workspace as the submitter's SDK sees it: a real azureml.core.Workspace.

It is opened as the SDK opens a workspace whose service context is known
(azureml/core/workspace.py:785-805), for the emulated subscription, resource group and
workspace, with its services found through the emulated discovery URL, and signed in as
the submitter (EmulatedSignIn). Used while the emulated service answers.
"""
import uuid

from azureml._restclient.service_context import ServiceContext
from azureml.core import Workspace
from azureml.core.authentication import AbstractAuthentication

from . import identity


class EmulatedSignIn(AbstractAuthentication):
    """Stands in for the submitter's sign-in (`az login` or a service principal), whose
    Azure AD tokens the services accept: the emulated service accepts this fixed one."""

    def _get_arm_token(self):
        return identity.run_token()

    def _get_graph_token(self):
        return identity.run_token()

    def _get_azureml_client_token(self):
        return identity.run_token()

    def _get_all_subscription_ids(self):
        return [identity.SUBSCRIPTION_ID]

    def _get_workspace(self, subscription_id, resource_group, name):
        raise NotImplementedError("the emulated workspace is opened from its service context")


def experiment_id(experiment_name: str) -> str:
    """The experiment's id: the same for the same name in every run of the emulator."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{identity.workspace_scope()}/{experiment_name}"))


def emulated_workspace() -> Workspace:
    """The emulated workspace, opened by the submitter."""
    context = ServiceContext(identity.SUBSCRIPTION_ID, identity.RESOURCE_GROUP,
                             identity.WORKSPACE_NAME, identity.WORKSPACE_ID, identity.DISCOVERY_URL,
                             EmulatedSignIn())
    return Workspace._from_service_context(context, identity.LOCATION)  # pylint: disable=protected-access
