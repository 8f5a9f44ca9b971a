"""What wings add to a model's registered files in Azure ML (its card), written into
model_io.CARD_FOLDER of the staged copy so that it is registered in the same version. Each is
named here and loaded then: one absent is skipped with one line, one that fails is a warning
and leaves nothing; neither fails the registration.
"""
import shutil
import sys
from pathlib import Path
from typing import Callable

from ..loading import load_optional
from ..model_io import CARD_FOLDER
from .registry import RegistrationRequest

# module:function: what it makes (for the line printed when it is absent). Each function is
# f(request, staged, model_id, describe_dataset) -> properties naming what it wrote; see
# shared_code/model_monitoring/registered_card.py.
BESIDE_THE_MODEL = {
    "shared_code.model_monitoring.registered_card:write_registered_card": "model card"}

# describe_dataset('name:version') -> {"type", "description", "sha256"} of a registered
# dataset, as the workspace keeps it.
DatasetDescriber = Callable[[str], dict]


def add_beside_the_model(request: RegistrationRequest, staged: Path, model_id: str,
                         describe_dataset: DatasetDescriber) -> dict[str, str]:
    """Write what each package adds into the staged model folder `staged`, about to be
    registered as `model_id` (the version expected); the properties that name it."""
    properties: dict[str, str] = {}
    for reference, what in BESIDE_THE_MODEL.items():
        write = load_optional(reference, f"no {what} for {model_id}")
        if write is None:
            continue
        try:
            properties.update(write(request, Path(staged), model_id, describe_dataset))
        except Exception as error:  # pylint: disable=broad-exception-caught  # never fails a registration
            shutil.rmtree(Path(staged) / CARD_FOLDER, ignore_errors=True)
            print(f"warning: {model_id} goes to the registry without its {what}: "
                  f"{type(error).__name__}: {error}", file=sys.stderr)
    return properties
