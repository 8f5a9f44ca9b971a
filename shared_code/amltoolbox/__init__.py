"""The AML glue every model reuses. A model folder imports it from here (`__all__` below);
the rest of the package is grouped by who calls it:

- here, for script steps and entry scripts: the run context and registry of where a step
  runs (run_context), what every step's main(context) is handed and does (step_context,
  step_main), the model folder's config
  (model_config, layout), evaluation and registration against the champion (promotion/),
  saving and loading model.pkl (model_io), reading CSV datasets (csv_reading), errors a
  user can fix (errors), and serving/ for entry scripts (init_served_model in init(),
  scoring_run on run());
- the pipeline as data (pipeline: Step, registered, output_of), read by aml_pipeline.py;
- local/: the local runtime: the workspace (datasets, runs, model registry), the runner and
  its step reuse (fingerprint), LocalRun and the step spec, dataset preparation;
- azure/: Azure ML (SDK v1): workspace, datasets, a step's runtime and registry;
- deployment/: deployment configs, web services, the CI-to-CD release artifact;
- cli/: `python -m shared_code.amltoolbox` and every aml_pipeline.py's command line.

Names are loaded on first use, so a script pays only for what it uses.
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
