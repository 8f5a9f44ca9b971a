"""An entry script's init() in one call: what every served model needs before it scores."""
import dataclasses
from pathlib import Path

from .model_loading import ServedModel, load_served_model
from .protections import install_protections
from .settings import serving_settings


def init_served_model(entry_script: str | Path) -> ServedModel:
    """The registered model the entry script at `entry_script` (its __file__) serves: the
    model, `info` (model_info.json, or {}), its id, folder and serving `settings`, its files
    checked against $MODEL_SHA256; the server's protections are installed on the way (when
    azmlinfsrv runs the script directly, `serve` and `deploy` having done so already)."""
    settings = serving_settings(Path(entry_script).resolve().parents[1])
    install_protections(settings)
    return dataclasses.replace(load_served_model(settings.model_name), settings=settings)
