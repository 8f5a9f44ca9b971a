"""The served model: found under AZUREML_MODEL_DIR as Azure ML lays it out (`<dir>/<name>/
<version>/...`, or a single model's files in `<dir>` itself, whose path ends in
`<name>/<version>`; model.pkl possibly one folder down), refused when its files' sha256 is
not $MODEL_SHA256 (set by `serve` and the deployment). Without model_info.json, `info` is {}.
"""
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model_io import (INFO_FILE, MODEL_FILE, ModelFileError, find_model_file, load_model,
                        model_sha256)
from .settings import ServingSettings

MODEL_DIR_ENV_VAR = "AZUREML_MODEL_DIR"
EXPECTED_SHA256_ENV_VAR = "MODEL_SHA256"
UNVERSIONED = "unversioned"

# A child of the inference server's logger, so that its lines reach the server's log.
logger = logging.getLogger("azmlinfsrv.model_loading")


class ModelLoadError(RuntimeError):
    """No usable model under AZUREML_MODEL_DIR."""


class ModelChecksumError(ModelLoadError):
    """The model's files differ from those the registry recorded."""


@dataclass(frozen=True)
class ServedModel:
    """A loaded model, its model_info.json ({} without one), the registered name and version it
    came as, the folder of its files, and (from init_served_model) its model folder's serving
    settings."""
    model: Any
    info: dict
    name: str
    version: str
    folder: Path
    settings: ServingSettings | None = None

    @property
    def id(self) -> str:
        """name:version, as Azure ML writes a model id."""
        return f"{self.name}:{self.version}"


def holds_model_files(folder: Path) -> bool:
    """Whether `folder` holds the model's files itself: then it is the registered folder of a
    flat layout that happens to be named like the model (<dir>/model_a/model.pkl), not the
    <dir>/<name>/<version>/ layout."""
    return (folder / MODEL_FILE).is_file()


def locate_model(model_dir: Path, name: str) -> tuple[Path, str, str]:
    """The folder holding model `name` under `model_dir`, its name and version (the highest
    present; in the flat layout the folder's name if a number, else 'unversioned')."""
    if not model_dir.is_dir():
        raise ModelLoadError(f"{MODEL_DIR_ENV_VAR} is {model_dir}, which is not a folder: "
                             "point it at the folder holding the registered model")
    registered = model_dir / name
    if registered.is_dir() and not holds_model_files(registered):
        versions = sorted((p for p in registered.iterdir() if p.is_dir() and p.name.isdigit()),
                          key=lambda p: int(p.name))
        if not versions:
            raise ModelLoadError(f"{registered} holds no version folder (1, 2, ...): lay the "
                                 f"model out as <{MODEL_DIR_ENV_VAR}>/{name}/<version>/")
        if len(versions) > 1:
            logger.info("%s holds versions %s; serving the highest", registered,
                        ", ".join(p.name for p in versions))
        return versions[-1], name, versions[-1].name
    if model_dir.name.isdigit():
        return model_dir, model_dir.parent.name, model_dir.name
    return model_dir, name, UNVERSIONED


def verify_checksum(model_folder: Path, expected_sha256: str | None, model_id: str) -> None:
    """Refuse the model when its folder's sha256 is not the one the registry recorded."""
    if not expected_sha256:
        logger.info("%s: no registry checksum given ($%s is unset); files not verified",
                    model_id, EXPECTED_SHA256_ENV_VAR)
        return
    actual = model_sha256(model_folder)  # a card registered beside the files is not the model
    if actual != expected_sha256.strip().lower():
        message = (f"refusing to serve {model_id}: the files in {model_folder} have sha256 "
                   f"{actual}, but the registry recorded {expected_sha256}. They were changed "
                   "after registration: restore the registered files (serve or deploy them "
                   "again), or register the model anew.")
        logger.error(message)
        raise ModelChecksumError(message)
    logger.info("%s: sha256 %s matches the registry", model_id, actual)


def load_served_model(name: str, model_dir: str | Path | None = None,
                      expected_sha256: str | None = None) -> ServedModel:
    """Load model `name` from `model_dir` (default $AZUREML_MODEL_DIR), its folder's sha256
    checked against `expected_sha256` (default $MODEL_SHA256)."""
    model_dir = model_dir or os.environ.get(MODEL_DIR_ENV_VAR)
    if not model_dir:
        raise ModelLoadError(f"${MODEL_DIR_ENV_VAR} is not set: the inference server sets it "
                             "(azmlinfsrv --model_dir DIR); locally, use the serve command")
    expected_sha256 = expected_sha256 or os.environ.get(EXPECTED_SHA256_ENV_VAR)
    folder, name, version = locate_model(Path(model_dir), name)
    try:
        model_file = find_model_file(folder)
    except ModelFileError as error:
        raise ModelLoadError(str(error)) from None
    model_id = f"{name}:{version}"
    verify_checksum(model_file.parent, expected_sha256, model_id)
    model, info = load_model(model_file.parent)
    logger.info("loaded %s from %s", model_id, model_file.parent)
    if not (model_file.parent / INFO_FILE).is_file():
        logger.info("%s has no %s (optional, written by the toolbox's training): served without "
                    "the features and settings it records", model_id, INFO_FILE)
    return ServedModel(model=model, info=info, name=name, version=version,
                       folder=model_file.parent)
