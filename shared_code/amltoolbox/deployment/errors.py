"""What can stop a deployment, each with a message that says what to do."""

from ..errors import UserError


class DeploymentError(UserError):
    """A deployment that could not be made; `details` holds the service's logs when there
    are some. Exit status 1: the service, not the command line, failed."""
    exit_status = 1
    details_heading = "the service's logs"


class DeploymentConfigError(DeploymentError):
    """A deployment config file that is missing, not YAML, or not what the Azure ML SDK reads."""
