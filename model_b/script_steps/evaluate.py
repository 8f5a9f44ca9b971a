"""Evaluate model_b: accuracy, macro F1 and each digit's recall (and false-negative rate)
of the trained model and the champion on the testing images; a confusion matrix image."""
from pathlib import Path

from shared_code.amltoolbox.promotion.evaluation import evaluate_against_champion, log_figure
from shared_code.amltoolbox.promotion.lineage import input_dataset_versions
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import load_model
from shared_code.amltoolbox.run_context import get_run_context
from shared_code.amltoolbox.step_main import run_step
from shared_code.classification_utils.classification_metrics import classification_metrics
from shared_code.plottingtoolbox.classification_plots import confusion_matrix_figure

from model_b.script_steps.train_file import read_digit_images
from model_b.script_steps.train_tabular import MODEL_DIR


def make_scorer(features, digits):
    """score(model_dir) -> (metrics, predictions) on the testing images' pixels."""
    def score(model_dir: Path):
        model, _ = load_model(model_dir)
        predictions = model.predict(features)
        return classification_metrics(digits, predictions), predictions
    return score


def main() -> None:
    """Score, compare with the champion, write summary.json, log metrics and the matrix."""
    run = get_run_context()
    config = load_model_config(MODEL_DIR)
    folder = run.input_datasets["test_data"]
    features, digits = read_digit_images(folder, config.training,
                                         f"the testing images in {folder}")
    evaluation = evaluate_against_champion(run, config, run.input_datasets["model"],
                                           make_scorer(features, digits),
                                           input_dataset_versions(run))
    figure = confusion_matrix_figure(digits, evaluation.predictions,
                                     f"{config.model_name}: confusion matrix (test data)",
                                     evaluation.champion_predictions)
    log_figure(run, "confusion_matrix", figure)


if __name__ == "__main__":
    run_step(main)
