"""When new data counts as drifted: the thresholds, with defaults, that a model may change in
the `drift:` section of its config/model_config.yml.

    drift:                  # could-change: when new data has drifted from the training data
      psi: 0.25             # population stability index of a feature (10 training deciles)
      ks_pvalue: 0.001      # Kolmogorov-Smirnov: drifted below this p-value ...
      ks_statistic: 0.1     # ... when the statistic is at least this
      missing_rate: 0.05    # missing values: more than this above the training data's rate
      out_of_range_rate: 0.05   # values outside the training data's range
      blank_rate: 0.05      # images: blank images, more than this above training's rate
      size_mismatch_rate: 0.0   # images: share of another size (or unreadable)
      class_psi: 0.25       # images: PSI of the predicted classes against the training labels

The defaults keep each model's own held-out test data quiet and flag a feature shifted by one
standard deviation (testing/shared_code/model_monitoring/test_drift_models.py).
"""
from dataclasses import dataclass, fields
from pathlib import Path

from shared_code.amltoolbox.errors import UserError


class DriftConfigError(UserError):
    """A `drift:` section that cannot be used."""


@dataclass(frozen=True)
class DriftThresholds:  # pylint: disable=too-many-instance-attributes  # one per setting
    """The thresholds a drift check compares with."""
    psi: float = 0.25
    ks_pvalue: float = 0.001
    ks_statistic: float = 0.1
    missing_rate: float = 0.05
    out_of_range_rate: float = 0.05
    blank_rate: float = 0.05
    size_mismatch_rate: float = 0.0
    class_psi: float = 0.25


def drift_thresholds(section: dict | None, source: Path | str = "model_config.yml"
                     ) -> DriftThresholds:
    """The thresholds of a model's `drift:` section (None or {}: the defaults)."""
    known = {f.name for f in fields(DriftThresholds)}
    section = section or {}
    unknown = sorted(set(section) - known)
    if unknown:
        raise DriftConfigError(f"{source}: drift.{unknown[0]} is not a drift setting; use "
                               f"{', '.join(sorted(known))}")
    values = {}
    for key, value in section.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise DriftConfigError(f"{source}: drift.{key} is {value!r}; give a number >= 0")
        values[key] = float(value)
    return DriftThresholds(**values)
