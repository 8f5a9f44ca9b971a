"""NAME[:VERSION] on the command line: a registered model or dataset, its latest version
unless one is given."""
from shared_code.amltoolbox.errors import UserError


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
