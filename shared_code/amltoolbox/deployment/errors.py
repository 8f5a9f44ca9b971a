"""What can stop a deployment, each with a message that says what to do."""


class DeploymentError(RuntimeError):
    """A deployment that could not be made; `logs` holds the service's logs when there are some."""

    def __init__(self, message: str, logs: str | None = None):
        super().__init__(message)
        self.logs = logs


class DeploymentConfigError(DeploymentError):
    """A deployment config file that is missing, not YAML, or not what the Azure ML SDK reads."""
