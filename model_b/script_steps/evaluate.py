"""Evaluate this model: accuracy, macro F1 and each digit's recall (and false-negative rate)
of the trained model, of its naive baseline (the most frequent digit) and of the champion
on the testing images; a confusion matrix image."""
from shared_code.amltoolbox import (StepContext, evaluate_against_champion,
                                    input_dataset_versions, log_figure, run_step)
from shared_code.plottingtoolbox.classification_plots import confusion_matrix_figure

from model_b.model import make_baseline_scorer, make_scorer, read_digit_images

def main(context: StepContext) -> None:
    """Score, compare with the champion, write summary.json, log metrics and the matrix."""
    run, config = context.run, context.config
    folder = run.input_datasets["test_data"]
    features, digits = read_digit_images(folder, config.training,
                                         f"the testing images in {folder}")
    evaluation = evaluate_against_champion(run, config, run.input_datasets["model"],
                                           make_scorer(features, digits),
                                           input_dataset_versions(run), context.registry,
                                           score_baseline=make_baseline_scorer(digits))
    figure = confusion_matrix_figure(digits, evaluation.predictions,
                                     f"{config.model_name}: confusion matrix (test data)",
                                     evaluation.champion_predictions)
    log_figure(run, "confusion_matrix", figure)


if __name__ == "__main__":
    run_step(main)
