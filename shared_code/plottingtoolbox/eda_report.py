"""A data profile saved as files: summary statistics, distributions and correlations."""
from pathlib import Path

from .eda_plots import correlations, distributions
from .evaluation_plots import close


def profile_table(frame, out_dir: Path) -> list[Path]:
    """Write summary.csv, distributions.png and correlations.png into `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = frame.describe().transpose()
    summary["missing"] = frame.isna().sum()
    written = [out_dir / "summary.csv"]
    summary.to_csv(written[0])
    for name, make in (("distributions", distributions), ("correlations", correlations)):
        figure = make(frame)
        figure.savefig(out_dir / f"{name}.png", dpi=100)
        close(figure)
        written.append(out_dir / f"{name}.png")
    return written
