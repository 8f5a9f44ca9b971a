"""The drift check as the one step of a model's drift pipeline in Azure ML (SDK v1: a
PythonScriptStep, drift_pipeline.py; SDK v2: a command job, drift_job_v2.py).

The same comparison as `drift MODEL --dataset NAME`: its `new_data` input against its
`training_data` input (the training dataset the model version's lineage names), with the
thresholds of the model's config/model_config.yml. Its `drift_report` output gets
drift_report.json and a plot per drifted feature; the run gets the statistics as metrics,
the plots as images, and the model checked and the verdict as tags. The exit status is the
command line's: 0 no drift, 1 drift (the step then fails, so a schedule sees it), 2 bad input.

    python shared_code/model_monitoring/drift_step.py --model NAME:VERSION
        --training-label TEXT --new-label TEXT [--model-dir PATH]

The model's files come from --model-dir (SDK v2: a custom_model input), else they are
downloaded from the workspace's registry (SDK v1's azureml.core.Model).
"""
import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from shared_code.amltoolbox.errors import exit_on_user_error
from shared_code.amltoolbox.local.model_checks import CHECKED_MODEL_TAG, VERDICT_TAG
from shared_code.amltoolbox.model_io import load_model
from shared_code.amltoolbox.run_context import get_run_context

from shared_code.model_monitoring.drift_check import model_thresholds, plot_drifted
from shared_code.model_monitoring.drift_cli import EXIT_DRIFT, EXIT_NO_DRIFT, print_report
from shared_code.model_monitoring.drift_report import DriftReport
from shared_code.model_monitoring.drift_run import REPORT_FILE

TRAINING_INPUT, NEW_INPUT, REPORT_OUTPUT = "training_data", "new_data", "drift_report"


class StepRecorder:
    """What a drift check records in an Azure ML run: plots, statistics, verdict, report."""

    def __init__(self, run, folder: Path):
        self.run = run
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def log_plot(self, name: str, figure) -> Path:
        """Save a figure in the report's folder and log it as an image of the run."""
        import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel
        target = self.folder / f"{name}.png"
        figure.savefig(target, dpi=100, bbox_inches="tight")
        plt.close(figure)
        self.run.log_image(name, path=str(target))
        return target

    def finish(self, report: DriftReport) -> None:
        """The report as JSON in the output, its statistics as metrics, its verdict as tags."""
        report.run_id = self.run.id
        (self.folder / REPORT_FILE).write_text(
            json.dumps(report.as_dict(), indent=2, default=str), encoding="utf-8")
        self.run.log("rows", report.rows)
        for feature in report.features:
            for key in ("psi", "ks_statistic"):
                if key in feature.statistics:
                    self.run.log(f"{key}_{feature.feature}", feature.statistics[key])
        self.run.tag(CHECKED_MODEL_TAG, report.model_id)
        self.run.tag("drifted_features", ", ".join(report.drifted_features) or "none")
        self.run.tag(VERDICT_TAG, report.verdict)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The step's own arguments (the v2 job's input and output paths are left alone)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, metavar="NAME:VERSION")
    parser.add_argument("--training-label", required=True)
    parser.add_argument("--new-label", required=True)
    parser.add_argument("--model-dir", help="the model's files (else downloaded, SDK v1)")
    return parser.parse_known_args(list(argv))[0]


def downloaded_model(run, model_id: str) -> Path:
    """The registered version's files, downloaded from the run's workspace (SDK v1)."""
    from azureml.core import Model  # pylint: disable=import-outside-toplevel  # SDK v1 only
    name, _, version = model_id.rpartition(":")
    model = Model(run.experiment.workspace, name=name, version=int(version))
    return Path(model.download(target_dir=tempfile.mkdtemp(prefix="model-"), exist_ok=True))


def compare(run, model_id: str, model_dir: Path, labels: tuple[str, str]) -> DriftReport:
    """The check of the run's new_data against its training_data: images when the training
    data arrives as a folder (a File dataset, mounted), else tables (Tabular datasets)."""
    # pylint: disable=import-outside-toplevel  # each kind of data imports its own readers
    thresholds = model_thresholds(model_id.rpartition(":")[0])
    model, info = load_model(model_dir)
    training, new = run.input_datasets[TRAINING_INPUT], run.input_datasets[NEW_INPUT]
    if isinstance(training, (str, Path)):
        from shared_code.model_monitoring.image_drift import image_drift
        return image_drift(Path(training), Path(new), model, info, thresholds, labels, model_id)
    from shared_code.model_monitoring.tabular_drift import frame_drift, frame_table
    return frame_drift(training.to_pandas_dataframe(),
                       frame_table(new.to_pandas_dataframe(), labels[1]), info, thresholds,
                       labels[0], model_id)


def main(argv: Sequence[str] | None = None) -> int:
    """Check, record, print; the exit status (0 no drift, 1 drift)."""
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    run = get_run_context()
    model_dir = Path(args.model_dir) if args.model_dir else downloaded_model(run, args.model)
    report = compare(run, args.model, model_dir, (args.training_label, args.new_label))
    recorder = StepRecorder(run, Path(run.output_datasets[REPORT_OUTPUT]))
    plot_drifted(recorder, report)
    recorder.finish(report)
    print_report(report)
    return EXIT_DRIFT if report.drifted_features else EXIT_NO_DRIFT


if __name__ == "__main__":
    with exit_on_user_error():
        sys.exit(main())
