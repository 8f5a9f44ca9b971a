"""This model's EDA runner profiles the training data into images and a summary table."""
import pandas as pd

from model_a.eda import run_eda


def test_the_profile_has_statistics_and_plots_of_every_column(tmp_path, capsys):
    run_eda.main(output_dir=tmp_path)
    summary = pd.read_csv(tmp_path / "summary.csv", index_col=0)
    assert list(summary.index) == ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6",
                                   "target"]
    assert (summary["missing"] == 0).all() and (summary["count"] == 331).all()
    for image in ("distributions.png", "correlations.png"):
        assert (tmp_path / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(tmp_path / "correlations.png") in capsys.readouterr().out
