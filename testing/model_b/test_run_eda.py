"""model_b's EDA runner: the training images profiled, made first when missing."""
import shutil

import pytest

from model_b.eda import run_eda
from model_b.script_steps import prepare_data
from model_b.aml_pipeline import CONFIG


@pytest.fixture(name="model_copy")
def fixture_model_copy(tmp_path, mocker, some_digits):
    """A model_b folder without data whose prepare_data writes 8 images per digit."""
    folder = tmp_path / CONFIG.folder.name
    shutil.copytree(CONFIG.folder / "config", folder / "config")
    images, digits, _ = some_digits()
    return folder, mocker.patch.object(prepare_data, "load_digits_images",
                                       return_value=(images, digits))


def test_training_images_are_written_once_then_read(model_copy):
    folder, load = model_copy
    first = run_eda.training_images(folder)
    assert len(first) == 60 and sorted(set(first.labels)) == list("0123456789")
    assert len(run_eda.training_images(folder)) == 60
    load.assert_called_once()  # the second call found the files


def test_main_writes_the_profile_under_the_output_folder(model_copy, tmp_path, capsys):
    folder, _ = model_copy
    run_eda.main(folder, tmp_path / "output")
    assert (tmp_path / "output" / "examples_per_class.png").is_file()
    assert str(tmp_path / "output" / "class_summary.csv") in capsys.readouterr().out
