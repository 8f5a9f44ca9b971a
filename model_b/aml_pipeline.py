"""model_b's pipeline, train -> evaluate -> register, declared once as data. Its datasets
are File datasets (folders of digit images), so training uses train_file.py.

`python -m model_b.aml_pipeline` runs it on this machine (as `tox -e pipeline -- model_b`
does); the same steps become the Azure ML pipeline: `--submit [--wait]` runs it there,
`--publish` publishes it for CI to trigger (--help for all).
"""
from pathlib import Path

from shared_code.amltoolbox.cli import pipeline_cli
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.pipeline import Step, output_of, registered

CONFIG = load_model_config(Path(__file__).resolve().parent)


def declare_steps() -> list[Step]:
    """The pipeline's steps in order; each runs the script of script_steps/ it names."""
    training, testing = CONFIG.dataset("training").name, CONFIG.dataset("testing").name
    return [
        Step("train", script_name="train_file.py",  # could-change: train_tabular.py, train.py
             inputs={"train_data": registered(training)},
             outputs=["model"]),
        Step("evaluate", script_name="evaluate.py",
             inputs={"model": output_of("train", "model"), "test_data": registered(testing)},
             outputs=["model_score"],
             compares_with_champion=True),
        Step("register", script_name="register.py",
             inputs={"model": output_of("train", "model"),
                     "model_score": output_of("evaluate", "model_score")},
             reuse=False),
    ]


def run_pipeline(argv: list[str] | None = None) -> None:
    """Run the pipeline here (the default) or in Azure ML, as the command line says."""
    experiment_name = "model_b"  # should-change: the experiment the runs are filed under
    pipeline_cli.main(CONFIG, declare_steps(), experiment_name, argv)


if __name__ == "__main__":
    run_pipeline()
