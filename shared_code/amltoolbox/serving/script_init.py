"""An entry script's init() in one call: what every served model needs before it scores."""
import dataclasses
from pathlib import Path

from .model_loading import ServedModel, load_served_model
from .protections import install_protections
from .settings import serving_settings


def init_served_model(entry_script: str | Path) -> ServedModel:
    """The registered model that the entry script at `entry_script` (its __file__) serves,
    loaded once, with what init() needs: the model, its model_info.json (`info`, {} when there
    is none), its id (name:version), its files' folder, and its model folder's serving
    settings (`settings`: max_rows, max_body_bytes, the config's serving section).

    On the way it installs the server's protections from the same settings (the body limit,
    the 400 for an undecodable body: already there when `serve` or `deploy` runs the script,
    needed when azmlinfsrv runs it directly), and refuses model files whose sha256 differs
    from the registry's record ($MODEL_SHA256).
    """
    settings = serving_settings(Path(entry_script).resolve().parents[1])
    install_protections(settings)
    return dataclasses.replace(load_served_model(settings.model_name), settings=settings)
