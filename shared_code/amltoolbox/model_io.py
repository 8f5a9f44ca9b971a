"""A trained model on disk, as the standard saves it: model.pkl, a plain pickle the standard's
snippet loads, in the `model` output; beside it the optional model_info.json (features,
target, parameters, training data; without it each reader says in one line what it lacked).
Neither depends on the time: the same training gives the same sha256.
"""
import json
import pickle
from pathlib import Path
from typing import Any

from .errors import UserError
from .hashing import file_sha256, tree_digest

MODEL_FILE = "model.pkl"
INFO_FILE = "model_info.json"
# The folder that registration in Azure ML adds to a model's registered files for its card
# (promotion/registered_extras.py); the model's sha256 does not cover it, so the registered
# model checks against the sha256 of the files that were trained and evaluated.
CARD_FOLDER = "model_card"
# Fixed, so that the same model gives the same bytes (and sha256) on every Python.
PICKLE_PROTOCOL = 5


class ModelFileError(UserError):
    """A model folder without a readable model."""


class ModelInfoMissing(ModelFileError):
    """model_info.json, which is optional, does not give what was asked of it."""


def save_model(model, model_dir: str | Path, info: dict) -> Path:
    """Write model.pkl and model_info.json into `model_dir`; return the model file."""
    model_dir = Path(model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    with open(model_dir / MODEL_FILE, "wb") as handle:
        pickle.dump(model, handle, protocol=PICKLE_PROTOCOL)
    (model_dir / INFO_FILE).write_text(json.dumps(info, indent=2, sort_keys=True, default=str),
                                       encoding="utf-8")
    return model_dir / MODEL_FILE


def find_model_file(model_dir: str | Path) -> Path:
    """model.pkl in `model_dir` or one level below (AML downloads keep a folder's name)."""
    model_dir = Path(model_dir)
    if model_dir.is_file():
        return model_dir
    for candidate in (model_dir / MODEL_FILE, *sorted(model_dir.glob(f"*/{MODEL_FILE}"))):
        if candidate.is_file():
            return candidate
    raise ModelFileError(f"no {MODEL_FILE} in {model_dir}: the train step saves it there "
                         "(script_steps/train*.py, into its `model` output); it is required")


def model_sha256(model_dir: str | Path) -> str:
    """The sha256 the registry records for a model: hashing.tree_sha256 of its folder (or
    file), less the CARD_FOLDER a registration in Azure ML added beside its files."""
    model_dir = Path(model_dir)
    if model_dir.is_file():
        return file_sha256(model_dir)
    files = sorted(p for p in model_dir.rglob("*")
                   if p.is_file() and p.relative_to(model_dir).parts[0] != CARD_FOLDER)
    return tree_digest((f.relative_to(model_dir).as_posix(), file_sha256(f)) for f in files)


def load_model(model_dir: str | Path):
    """The model and its info from a folder written by save_model."""
    model_file = find_model_file(model_dir)
    info_file = model_file.parent / INFO_FILE
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
    with open(model_file, "rb") as handle:
        return pickle.load(handle), info


def info_value(info: dict, key: str, model_dir: str | Path) -> Any:
    """model_info.json's `key` (info as load_model read it from `model_dir`), or
    ModelInfoMissing naming the file, the step that writes it and that it is optional."""
    if key in info:
        return info[key]
    raise ModelInfoMissing(
        f"{Path(model_dir)}/{INFO_FILE} has no {key}: train the model again (run the pipeline "
        f"with --no-reuse) to record it. {INFO_FILE} is optional; the train step writes it "
        "beside model.pkl (save_model(model, folder, info))")
