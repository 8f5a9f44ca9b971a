"""The error of an input that cannot be read as a batch."""
from shared_code.amltoolbox.errors import DataError


class InputError(DataError):
    """The input cannot be read as a batch: nothing is scored, nothing written."""
