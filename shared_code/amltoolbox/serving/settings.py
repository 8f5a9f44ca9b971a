"""What serving reads from a model folder: the registered model's name and the `serving:`
section of config/model_config.yml; without that file, default limits."""
import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..layout import ModelLayout
from ..model_config import load_model_config, read_model_identity
from .validation import max_body_bytes_setting, max_rows_setting

logger = logging.getLogger("azmlinfsrv.serving")  # reaches the inference server's log


@dataclass(frozen=True)
class ServingSettings:
    """The registered name a model folder serves, the folder, and its serving limits."""
    model_name: str
    model_folder: Path
    section: dict = field(default_factory=dict)  # model_config.yml's serving: as written
    max_rows: int = field(init=False)
    max_body_bytes: int = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "max_rows", max_rows_setting(self.section))
        object.__setattr__(self, "max_body_bytes", max_body_bytes_setting(self.section))


def serving_settings(model_folder: str | Path) -> ServingSettings:
    """The folder's serving settings: its config's, checked as every command checks it, or
    the defaults when it has no config/model_config.yml (said in one line of the log)."""
    layout = ModelLayout(Path(model_folder).resolve())
    if layout.model_config.is_file():
        config = load_model_config(layout.folder)
        return ServingSettings(config.model_name, layout.folder, config.serving)
    settings = ServingSettings(read_model_identity(layout).name, layout.folder)
    logger.info("%s has no config/model_config.yml: serving with the default limits (%s rows, "
                "a body of %s bytes)", layout.name, f"{settings.max_rows:,}",
                f"{settings.max_body_bytes:,}")
    return settings
