"""Bad training images as a user might register them, run through the real pipeline: the run
stops with a message naming the dataset's folder, the digit and what to do, the command exits
with status 2, and nothing is registered."""
import pytest

from model_b.aml_pipeline import CONFIG
from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.image_utils.image_folders import write_labelled_images
from shared_code.image_utils.pixels import to_gray

pytestmark = pytest.mark.integration

TRAINING = CONFIG.dataset("training").name


def test_a_digit_with_fewer_images_than_calibration_folds_stops_the_run(workspace_dir,
                                                                         tmp_path, capsys,
                                                                         some_digits):
    images, digits, indices = some_digits(8)
    keep = (digits != 3) | (indices <= sorted(indices[digits == 3])[1])  # two images of 3
    folder = write_labelled_images(to_gray(images[keep], 16), digits[keep],
                                   [f"digit_{i:04d}" for i in indices[keep]], tmp_path / "few")
    workspace = LocalWorkspace(workspace_dir)
    record, _ = workspace.datasets.register(TRAINING, "file", folder, "too few 3s, on purpose")
    with pytest.raises(SystemExit) as exited:
        main(["run", "model_b"])
    out = capsys.readouterr().out
    assert exited.value.code == 2, out
    assert (f"the training images in {record.path} has fewer than 5 images of the digit(s) 3 (2):"
            " the probability calibration splits each digit's images 5 ways "
            "(training.calibration.cv in config/model_config.yml). Add images of those digits "
            "(or lower cv) and register the data again.") in out
    assert "Traceback" not in out and workspace.models.list() == []
    workspace.close()
