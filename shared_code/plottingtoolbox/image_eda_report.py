"""A profile of labelled images saved as files: per-class statistics and plots."""
from pathlib import Path

import numpy as np

from .evaluation_plots import close
from .image_eda_plots import class_counts, examples_per_class, mean_image_per_class, pixel_histogram


def class_summary(images, labels):
    """Per class: images, mean gray level, share of pixels with ink, and share of all images."""
    import pandas as pd
    images, labels = np.asarray(images, dtype=float), np.asarray(labels)
    rows = []
    for label in np.unique(labels):
        members = images[labels == label]
        rows.append({"class": label, "images": len(members),
                     "share_of_images": len(members) / len(labels),
                     "mean_gray_level": members.mean(), "ink_share": (members > 0).mean()})
    return pd.DataFrame(rows).set_index("class")


def profile_images(images, labels, out_dir: Path) -> list[Path]:
    """Write class_summary.csv and the image plots (PNG) into `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "class_summary.csv"]
    class_summary(images, labels).to_csv(written[0])
    plots = (("class_counts", lambda: class_counts(labels)),
             ("examples_per_class", lambda: examples_per_class(images, labels)),
             ("mean_image_per_class", lambda: mean_image_per_class(images, labels)),
             ("pixel_histogram", lambda: pixel_histogram(images)))
    for name, make in plots:
        figure = make()
        written.append(out_dir / f"{name}.png")
        figure.savefig(written[-1], dpi=100)
        close(figure)
    return written
