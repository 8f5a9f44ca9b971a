"""The image profile: per-class statistics and the plots, written as files."""
import numpy as np
import pytest

from shared_code.plottingtoolbox.image_eda_report import class_summary, profile_images


@pytest.fixture(name="labelled_images")
def fixture_labelled_images():
    images = np.zeros((5, 8, 8), dtype=np.uint8)
    images[0, 0, :4] = 255  # class "a": one image with 4 of 64 pixels inked, one blank
    images[2:] = 128        # class "b": three images, every pixel half gray
    return images, ["a", "a", "b", "b", "b"]


def test_the_class_summary_counts_images_and_ink(labelled_images):
    summary = class_summary(*labelled_images)
    assert summary.loc["a", "images"] == 2 and summary.loc["b", "images"] == 3
    assert summary.loc["b", "share_of_images"] == pytest.approx(0.6)
    assert summary.loc["a", "ink_share"] == pytest.approx(4 / 128)
    assert summary.loc["b", "mean_gray_level"] == pytest.approx(128)


def test_the_profile_writes_the_summary_and_every_plot(tmp_path, labelled_images):
    written = profile_images(*labelled_images, tmp_path / "output")
    assert [p.name for p in written] == ["class_summary.csv", "class_counts.png",
                                         "examples_per_class.png", "mean_image_per_class.png",
                                         "pixel_histogram.png"]
    assert all(p.stat().st_size > 0 for p in written)
    assert written[1].read_bytes()[:4] == b"\x89PNG"
