"""What evaluate.py does for every model: score the trained model and the champion on the
same test data, decide, write summary.json and log the metrics."""
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..hashing import tree_sha256
from ..model_config import ModelConfig
from ..run_context import get_registry
from .registry import Registry
from .summary import Champion, Summary, build_summary, write_summary

# score(model_dir) -> (metrics, predictions): the model-specific part of evaluation.
Scorer = Callable[[Path], tuple[dict, Any]]


@dataclass
class Evaluation:
    """The summary written, and the predictions behind it (for plots)."""
    summary: Summary
    predictions: Any
    champion_predictions: Any = None


def evaluate_against_champion(run, config: ModelConfig, model_dir: str | Path, score: Scorer,
                              test_data: dict, registry: Registry | None = None) -> Evaluation:
    """Score both models, write summary.json into `model_score`, log the metrics.

    The champion comes from `registry`, by default the one of where the run is.
    """
    model_dir = Path(model_dir)
    metrics, predictions = score(model_dir)
    champion, champion_predictions = None, None
    found = (registry or get_registry()).find_champion(config.model_name)
    if found is not None:
        try:
            champion_metrics, champion_predictions = score(found.path)
            champion = Champion(found.id, found.sha256, champion_metrics)
        except Exception as error:  # pylint: disable=broad-exception-caught
            # A champion trained on other features cannot score today's data; say so.
            champion = Champion(found.id, found.sha256, None, f"{type(error).__name__}: {error}")
    summary = build_summary(config.evaluation, metrics, champion, tree_sha256(model_dir),
                            test_data)
    write_summary(run.output_datasets["model_score"], summary)
    for name, value in metrics.items():
        run.log(name, value)
    for name, value in ((champion.metrics or {}) if champion else {}).items():
        run.log(f"champion_{name}", value)
    run.tag("register_trained_model", str(summary.register_trained_model))
    run.tag("reason", summary.reason)
    print(f"register_trained_model={summary.register_trained_model}: {summary.reason}")
    return Evaluation(summary, predictions, champion_predictions)


def log_figure(run, name: str, figure) -> None:
    """Log a matplotlib figure as an image of the run (AML's run page, or the local run's
    images/), then free it."""
    import matplotlib.pyplot as plt
    run.log_image(name, plot=figure)
    plt.close(figure)
