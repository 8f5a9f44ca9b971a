"""Evaluate this model: accuracy, macro F1 and each digit's recall (and false-negative rate)
of the trained model, of its naive baseline (the most frequent digit) and of the champion
on the testing images; a confusion matrix image."""
from pathlib import Path

from shared_code.amltoolbox import (evaluate_against_champion, get_run_context,
                                    input_dataset_versions, load_model_config, log_figure,
                                    run_step)
from shared_code.plottingtoolbox.classification_plots import confusion_matrix_figure

from model_b.model import make_baseline_scorer, make_scorer, read_digit_images

MODEL_DIR = Path(__file__).resolve().parents[1]


def main() -> None:
    """Score, compare with the champion, write summary.json, log metrics and the matrix."""
    run = get_run_context()
    config = load_model_config(MODEL_DIR)
    folder = run.input_datasets["test_data"]
    features, digits = read_digit_images(folder, config.training,
                                         f"the testing images in {folder}")
    evaluation = evaluate_against_champion(run, config, run.input_datasets["model"],
                                           make_scorer(features, digits),
                                           input_dataset_versions(run),
                                           score_baseline=make_baseline_scorer(digits))
    figure = confusion_matrix_figure(digits, evaluation.predictions,
                                     f"{config.model_name}: confusion matrix (test data)",
                                     evaluation.champion_predictions)
    log_figure(run, "confusion_matrix", figure)


if __name__ == "__main__":
    run_step(main)
