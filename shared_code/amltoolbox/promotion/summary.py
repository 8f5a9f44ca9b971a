"""summary.json, the contract between evaluate and register.

evaluate writes it into its `model_score` output; register reads it and registers the
trained model only when `register_trained_model` is true.
"""
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..model_config import EvaluationRule
from ..errors import UserError

SUMMARY_FILE = "summary.json"


class SummaryError(UserError):
    """A summary.json that register cannot trust."""


@dataclass
class Champion:
    """The registered model the new one is compared with."""
    id: str
    sha256: str
    metrics: dict | None = None
    error: str | None = None  # why it could not be scored, when it could not


@dataclass
class Summary:
    """What evaluate decided and why."""
    register_trained_model: bool
    reason: str
    metrics: dict
    primary_metric: str
    champion: dict | None = None
    rule: dict = field(default_factory=dict)
    trained_model_sha256: str | None = None
    test_data: dict = field(default_factory=dict)


def decide(rule: EvaluationRule, metrics: dict, champion: Champion | None,
           trained_sha256: str) -> tuple[bool, str]:
    """Whether to register the trained model, and the reason in words."""
    name = rule.primary_metric
    if name not in metrics:
        raise SummaryError(f"the evaluation rule's primary metric '{name}' was not computed "
                           f"(metrics: {', '.join(metrics)}); fix evaluation.primary_metric")
    new = metrics[name]
    if not math.isfinite(new):
        return False, f"the trained model's {name} is {new}, not a finite number"
    if champion is None:
        return True, "no registered model yet: the trained model becomes the first version"
    if champion.sha256 == trained_sha256:
        return False, f"the trained model is identical to the champion {champion.id}"
    if champion.metrics is None:
        return True, (f"the champion {champion.id} could not score the test data "
                      f"({champion.error}); the trained model replaces it")
    old = champion.metrics[name]
    direction = "higher" if rule.greater_is_better else "lower"
    if rule.is_better(new, old):
        return True, (f"{name} {new:.4g} beats the champion {champion.id}'s {old:.4g} "
                      f"({direction} is better, minimum improvement {rule.min_improvement:g})")
    return False, (f"{name} {new:.4g} does not beat the champion {champion.id}'s {old:.4g} "
                   f"({direction} is better, minimum improvement {rule.min_improvement:g})")


def build_summary(rule: EvaluationRule, metrics: dict, champion: Champion | None,
                  trained_sha256: str, test_data: dict) -> Summary:
    """The full summary for a trained model evaluated against the champion."""
    register, reason = decide(rule, metrics, champion, trained_sha256)
    return Summary(register_trained_model=register, reason=reason, metrics=metrics,
                   primary_metric=rule.primary_metric,
                   champion=asdict(champion) if champion else None, rule=asdict(rule),
                   trained_model_sha256=trained_sha256, test_data=test_data)


def write_summary(folder: str | Path, summary: Summary) -> Path:
    """Write summary.json into `folder` (evaluate's model_score output)."""
    path = Path(folder) / SUMMARY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(summary), indent=2, sort_keys=True), encoding="utf-8")
    return path


def read_summary(folder: str | Path) -> dict:
    """summary.json from `folder`, checked: `register_trained_model` must be a boolean."""
    path = Path(folder) / SUMMARY_FILE
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SummaryError(f"{path} does not exist: the evaluate step writes it") from None
    except json.JSONDecodeError as error:
        raise SummaryError(f"{path} is not valid JSON ({error})") from None
    flag = summary.get("register_trained_model") if isinstance(summary, dict) else None
    if not isinstance(flag, bool):
        raise SummaryError(f"{path}: 'register_trained_model' must be true or false, "
                           f"not {flag!r}; nothing is registered")
    return summary
