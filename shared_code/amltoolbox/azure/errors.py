"""The error for Azure ML that is not set up as a command needs."""

from ..errors import UserError


class AzureSetupError(UserError):
    """A workspace setting, compute target, dataset or environment file is missing; the
    message names it and says how to provide it."""
