"""model_b's pipeline, train -> evaluate -> register, declared once as data.

Its datasets are File datasets (folders of digit images), so training uses
train_file.py. `python -m model_b.aml_pipeline --local` runs it on this machine (as
`tox -e pipeline -- model_b` does); the same step list becomes the Azure ML pipeline.
"""
from pathlib import Path

from shared_code.amltoolbox.azure.entry_points import AzureEntryPoints
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.pipeline import Step, output_of, registered
from shared_code.amltoolbox.cli.pipeline_cli import main

CONFIG = load_model_config(Path(__file__).resolve().parent)

STEPS = [
    Step("train", "train_file.py",
         inputs={"train_data": registered(CONFIG.dataset("training").name)},
         outputs=["model"]),
    Step("evaluate", "evaluate.py",
         inputs={"model": output_of("train", "model"),
                 "test_data": registered(CONFIG.dataset("testing").name)},
         outputs=["model_score"],
         compares_with_champion=True),
    Step("register", "register.py",
         inputs={"model": output_of("train", "model"),
                 "model_score": output_of("evaluate", "model_score")},
         reuse=False),
]


# The standard's Azure ML entry points (azureml is imported only when they are called).
_AZURE = AzureEntryPoints(CONFIG, STEPS)
declare_steps = _AZURE.declare_steps
build_pipeline = _AZURE.build_pipeline
run_pipeline = _AZURE.run_pipeline

if __name__ == "__main__":
    main(CONFIG, STEPS)
