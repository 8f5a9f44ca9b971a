"""A drift check as a run of the local workspace: experiment 'drift', one step, the report
and a plot per drifted feature; its tags name the model version checked and the verdict, so
the registry's views show the latest verdict beside the version
(amltoolbox/local/model_checks.py)."""
import contextlib
import json
import time
from pathlib import Path

from shared_code.amltoolbox.git_info import git_properties
from shared_code.amltoolbox.local.model_checks import CHECKED_MODEL_TAG, VERDICT_TAG
from shared_code.amltoolbox.local.runner_identity import runner_identity
from shared_code.amltoolbox.local.runs import COMPLETED, FAILED
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import REPO_ROOT

from .drift_report import DriftReport

DRIFT_EXPERIMENT, DRIFT_STEP = "drift", "drift_check"
REPORT_OUTPUT, REPORT_FILE = "drift_report", "drift_report.json"


class DriftRun:
    """The run of one check: start() records it Running, finish() or fail() ends it."""

    def __init__(self, workspace: LocalWorkspace, model_name: str, model_id: str, data: str):
        self.workspace = workspace
        self.started = time.monotonic()
        self.run_id = workspace.runs.start_run(
            model_name, DRIFT_EXPERIMENT,
            {**git_properties(REPO_ROOT), **runner_identity(), "checked_model": model_id,
             "new_data": data})
        workspace.runs.start_step(self.run_id, DRIFT_STEP, None)
        self.step_dir = workspace.runs.step_dir(self.run_id, DRIFT_STEP)
        workspace.runs.tag(self.run_id, DRIFT_STEP, CHECKED_MODEL_TAG, model_id)

    def log_plot(self, name: str, figure) -> Path:
        """Save a figure as an image of the run's step."""
        import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel
        images = self.step_dir / "images"
        images.mkdir(parents=True, exist_ok=True)
        target = images / f"{name}.png"
        figure.savefig(target, dpi=100, bbox_inches="tight")
        plt.close(figure)
        self.workspace.runs.log_image(self.run_id, DRIFT_STEP, name, target)
        return target

    def finish(self, report: DriftReport) -> None:
        """Record the report, its statistics and verdict; the run Completed."""
        runs = self.workspace.runs
        report.run_id = self.run_id
        output = self.step_dir / "outputs" / REPORT_OUTPUT
        output.mkdir(parents=True, exist_ok=True)
        (output / REPORT_FILE).write_text(json.dumps(report.as_dict(), indent=2, default=str),
                                          encoding="utf-8")
        runs.log_metric(self.run_id, DRIFT_STEP, "rows", report.rows)
        for feature in report.features:
            for key in ("psi", "ks_statistic"):
                if key in feature.statistics:
                    runs.log_metric(self.run_id, DRIFT_STEP, f"{key}_{feature.feature}",
                                    feature.statistics[key])
        runs.tag(self.run_id, DRIFT_STEP, "drifted_features",
                 ", ".join(report.drifted_features) or "none")
        runs.tag(self.run_id, DRIFT_STEP, VERDICT_TAG, report.verdict)
        runs.end_step(self.run_id, DRIFT_STEP, COMPLETED, time.monotonic() - self.started,
                      outputs={REPORT_OUTPUT: str(output)})
        runs.end_run(self.run_id, COMPLETED)

    def fail(self, error: BaseException) -> None:
        """Record the run Failed with the error's message."""
        message = str(error) or type(error).__name__
        self.workspace.runs.end_step(self.run_id, DRIFT_STEP, FAILED,
                                     time.monotonic() - self.started, error=message)
        self.workspace.runs.end_run(self.run_id, FAILED, message)


@contextlib.contextmanager
def drift_run(workspace: LocalWorkspace, model_name: str, model_id: str, data: str):
    """A DriftRun that is recorded Failed if the check raises."""
    run = DriftRun(workspace, model_name, model_id, data)
    try:
        yield run
    except BaseException as error:
        run.fail(error)
        raise
