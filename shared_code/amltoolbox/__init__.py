"""The AML glue every model reuses. Script steps and entry scripts import it from here
(`__all__` below, each name loaded on first use); the rest is grouped by who calls it:
pipeline (the steps as data), local/ (the local workspace and runner), azure/ (a step's
runtime and registry in Azure ML, SDK v1), promotion/, serving/, deployment/, and cli/
(`python -m shared_code.amltoolbox` and every aml_pipeline.py's command line).
"""
import importlib

TYPE_CHECKING = False  # typing's, without importing typing into every step process

if TYPE_CHECKING:  # what pylint and editors see; at run time __getattr__ loads on demand
    from .csv_reading import csv_files_in, read_csv_files
    from .errors import DataError, UserError
    from .model_config import load_model_config
    from .model_io import info_value, load_model, save_model
    from .promotion.evaluation import evaluate_against_champion, log_figure
    from .promotion.lineage import input_dataset_versions
    from .promotion.registration import register_step
    from .run_context import get_registry, get_run_context
    from .serving.model_loading import ModelLoadError, load_served_model
    from .serving.request_limits import limit_request_bodies
    from .serving.responses import reject_undecodable_bodies, score_or_reject
    from .serving.schema import record_schema
    from .serving.script_init import init_served_model
    from .serving.scoring_run import scoring_run
    from .serving.validation import BAD_REQUEST, ClientError, check_rows, max_rows_setting
    from .step_context import StepContext
    from .step_main import run_step

_MODULES = {
    ".csv_reading": ("csv_files_in", "read_csv_files"),
    ".errors": ("DataError", "UserError"),
    ".model_config": ("load_model_config",),
    ".model_io": ("info_value", "load_model", "save_model"),
    ".promotion.evaluation": ("evaluate_against_champion", "log_figure"),
    ".promotion.lineage": ("input_dataset_versions",),
    ".promotion.registration": ("register_step",),
    ".run_context": ("get_registry", "get_run_context"),
    ".serving.model_loading": ("ModelLoadError", "load_served_model"),
    ".serving.request_limits": ("limit_request_bodies",),
    ".serving.responses": ("reject_undecodable_bodies", "score_or_reject"),
    ".serving.schema": ("record_schema",),
    ".serving.script_init": ("init_served_model",),
    ".serving.scoring_run": ("scoring_run",),
    ".serving.validation": ("BAD_REQUEST", "ClientError", "check_rows", "max_rows_setting"),
    ".step_context": ("StepContext",),
    ".step_main": ("run_step",),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value  # found once, then an ordinary attribute
    return value
