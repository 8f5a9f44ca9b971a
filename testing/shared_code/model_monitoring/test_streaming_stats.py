"""Streaming PSI and Kolmogorov-Smirnov against scipy's, whatever the chunks."""
import numpy as np
import pytest
from scipy import stats

from shared_code.model_monitoring.streaming_stats import ColumnAccumulator, psi, reference


def _counted(training, new, chunks: int) -> ColumnAccumulator:
    counts = ColumnAccumulator(reference(training))
    for chunk in np.array_split(np.asarray(new, dtype=float), chunks):
        counts.add(chunk)
    return counts


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("chunks", [1, 7])
def test_the_ks_statistic_and_p_value_are_scipys_with_ties_and_any_chunks(seed, chunks):
    rng = np.random.default_rng(seed)
    training = np.round(rng.normal(size=rng.integers(5, 400)) * 3, seed % 2)  # ties when rounded
    new = np.round(rng.normal(0.3 * seed, 1, size=rng.integers(5, 4000)) * 3, seed % 2)
    expected = stats.ks_2samp(training, new, method="asymp")
    counts = _counted(training, new, chunks)
    assert counts.ks_statistic() == pytest.approx(expected.statistic, abs=1e-12)
    assert counts.ks_pvalue() == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)


def test_the_same_data_has_no_psi_and_no_ks_gap():
    data = np.arange(1000, dtype=float)
    counts = _counted(data, data, 3)
    assert counts.psi() == pytest.approx(0) and counts.ks_statistic() == 0


def test_missing_and_out_of_range_values_are_counted_apart():
    counts = _counted([1.0, 2.0, 3.0, np.nan], [np.nan, 0.5, 2.0, 9.0], 2)
    assert (counts.rows, counts.missing, counts.out_of_range) == (4, 1, 2)
    assert counts.ref.missing_rate == 0.25


def test_psi_stays_finite_when_a_bin_is_empty():
    assert np.isfinite(psi([0.5, 0.5], [1.0, 0.0]))
    assert psi([0.5, 0.5], [0.5, 0.5]) == 0


def test_a_reference_without_values_is_refused():
    with pytest.raises(ValueError):
        reference([np.nan, np.nan])
