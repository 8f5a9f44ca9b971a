"""This model's pipeline, train -> evaluate -> register, declared once as data.

`python -m model_a.aml_pipeline` runs it on this machine (as `tox -e pipeline -- model_a`
does); the same steps become the Azure ML pipeline: `--submit [--wait]` runs it there,
`--publish` publishes it for CI to trigger (--help for all).
"""
from pathlib import Path

from shared_code.amltoolbox.cli import pipeline_cli
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.pipeline import Step, standard_steps

CONFIG = load_model_config(Path(__file__).resolve().parent)


def declare_steps() -> list[Step]:
    """The pipeline's steps in order, each running the script of script_steps/ it names."""
    # could-change: the training variant that fits (new-model --train); process_data and the
    # like are one more Step each.
    return standard_steps(CONFIG, train_script="train_tabular.py")


def run_pipeline(argv: list[str] | None = None) -> None:
    """Run the pipeline here (the default) or in Azure ML, as the command line says."""
    experiment_name = CONFIG.model_name  # could-change: the experiment its runs are filed under
    pipeline_cli.main(CONFIG, declare_steps(), experiment_name, argv)


if __name__ == "__main__":
    run_pipeline()
