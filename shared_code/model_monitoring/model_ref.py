"""NAME[:VERSION] on the command line: a registered model or dataset, its latest version
unless one is given; a model may be named by its folder too."""
from pathlib import Path

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.layout import ModelLayout, is_model_folder
from shared_code.amltoolbox.model_config import read_model_identity
from shared_code.amltoolbox.paths import REPO_ROOT


class BadReferenceError(UserError):
    """A NAME[:VERSION] that cannot be read."""


def split_reference(text: str, what: str) -> tuple[str, int | None]:
    """('name', version or None) from 'name' or 'name:version'."""
    name, colon, version = text.strip().rpartition(":")
    if not colon:
        return version, None
    if not version.isdigit() or int(version) < 1 or not name:
        raise BadReferenceError(f"'{text}' is not {what} NAME or NAME:VERSION (a version is a "
                                "whole number from 1), e.g. model_a:1")
    return name, int(version)


def registered_name(models, name: str, repo_root: Path = REPO_ROOT) -> str:
    """`name` itself when the registry knows it; else, when `name` is a model folder (CI
    passes folders), the name that folder's register.py registers under."""
    folder = repo_root / name
    if models.latest(name) is None and "/" not in name and is_model_folder(folder):
        return read_model_identity(ModelLayout(folder)).name
    return name
