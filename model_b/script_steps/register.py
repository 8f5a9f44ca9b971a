"""Register this model when evaluate's summary.json says so, with its lineage.

MODEL_NAME, MODEL_DESCRIPTION and MODEL_TAGS are what the model is registered as; the rest
of the toolbox (the runner, serving, deployment) reads them from here too.
"""
from shared_code.amltoolbox import StepContext, register_step, run_step

MODEL_NAME = "model_b"  # should-change: the name the model is registered under
MODEL_DESCRIPTION = (  # should-change: what the model does, shown with every version
    "Support-vector classifier (RBF kernel, probabilities calibrated by temperature scaling) "
    "recognising the handwritten digit 0-9 in an 8x8 grayscale image.")
MODEL_TAGS = {"modeltype": "classification", "project": "digits",  # should-change
              "algorithm": "svc"}


def main(context: StepContext) -> None:
    """Obey summary.json's register_trained_model; tag the run with the outcome."""
    register_step(context, MODEL_NAME, MODEL_DESCRIPTION, MODEL_TAGS)


if __name__ == "__main__":
    run_step(main)
