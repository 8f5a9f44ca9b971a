"""This model's pipeline, train -> evaluate -> register, declared once as data. Its datasets
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
    """The pipeline's steps in order, train -> evaluate -> register: each runs the script of
    script_steps/ it names, reads registered datasets by name and earlier steps' outputs, and
    writes its outputs. A step may name its own compute_target= (a cluster) and
    environment= (a conda file); by default it has the model's."""
    # could-change: one more Step per step (process_data, optimise_hyperparams, ...)
    return [
        Step("train", "train_file.py",  # could-change: the training script that fits your data
             inputs={"train_data": registered(CONFIG.dataset("training").name)},
             outputs=["model"]),
        Step("evaluate", "evaluate.py",
             inputs={"model": output_of("train", "model"),
                     "test_data": registered(CONFIG.dataset("testing").name)},
             outputs=["model_score"], compares_with_champion=True),
        Step("register", "register.py",
             inputs={"model": output_of("train", "model"),
                     "model_score": output_of("evaluate", "model_score")},
             reuse=False),
    ]


def run_pipeline(argv: list[str] | None = None) -> None:
    """Run the pipeline here (the default) or in Azure ML, as the command line says."""
    experiment_name = CONFIG.model_name  # could-change: the experiment its runs are filed under
    pipeline_cli.main(CONFIG, declare_steps(), experiment_name, argv)


if __name__ == "__main__":
    run_pipeline()
