"""The standard's naming convention for datasets: modeltype-project-usage-version."""
import re

from .errors import UserError

DATASET_NAME_FORM = "modeltype-project-usage-version, e.g. regression-diabetes-training-01"
_DATASET_NAME = re.compile(
    r"^(?P<modeltype>[a-z0-9]+)-(?P<project>[a-z0-9]+(?:[-_][a-z0-9]+)*)"
    r"-(?P<usage>[a-z0-9]+)-(?P<version>[0-9]{2,})$")
_MODEL_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,254}$")


class NamingError(UserError):
    """A name that does not follow the standard's convention."""


def check_dataset_name(name: str) -> dict[str, str]:
    """Split a dataset name into its parts, or say what the expected form is."""
    match = _DATASET_NAME.match(name or "")
    if not match:
        raise NamingError(f"dataset name '{name}' does not follow the standard's convention "
                          f"{DATASET_NAME_FORM} (lower case letters and digits, parts joined "
                          "by '-', a two-digit version last)")
    return match.groupdict()


def check_model_name(name: str) -> str:
    """Azure ML model names: letters, digits, '-', '_' and '.', at most 255 characters."""
    if not _MODEL_NAME.match(name or ""):
        raise NamingError(f"model name '{name}' is not valid in Azure ML: use letters, digits, "
                          "'-', '_' and '.', starting with a letter or digit, at most 255 long")
    return name
