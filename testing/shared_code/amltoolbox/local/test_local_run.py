"""LocalRun: the run a script step talks to under the local runner."""
import matplotlib.pyplot as plt
import pytest
from testing_helpers import make_local_run

from shared_code.amltoolbox.csv_reading import DatasetReadError
from shared_code.amltoolbox.local.local_run import ERROR_FILE, LocalTabularDataset


@pytest.fixture(name="tabular_folder")
def fixture_tabular_folder(tmp_path):
    folder = tmp_path / "tabular"
    folder.mkdir()
    (folder / "b.csv").write_text("x,y\n3,4\n", encoding="utf-8")
    (folder / "a.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    return folder


@pytest.fixture(name="run")
def fixture_run(tmp_path, tabular_folder):
    inputs = {"train_data": {"type": "tabular", "name": "regression-t-training-01", "version": 3,
                             "path": str(tabular_folder)},
              "images": {"type": "file", "name": "files-t-training-01", "version": 1,
                         "path": str(tmp_path / "mounted")},
              "model": {"type": "output", "path": str(tmp_path / "earlier")}}
    run = make_local_run(tmp_path, inputs, outputs=("model_score",), step="evaluate")
    yield run
    run.workspace.close()


def test_tabular_inputs_read_all_their_csv_files_as_one_dataframe(run):
    dataset = run.input_datasets["train_data"]
    assert (dataset.name, dataset.version) == ("regression-t-training-01", 3)
    assert dataset.to_pandas_dataframe().to_dict("list") == {"x": [1, 3], "y": [2, 4]}


def test_file_inputs_and_earlier_outputs_are_folder_paths(run, tmp_path):
    assert run.input_datasets["images"] == str(tmp_path / "mounted")
    assert run.input_datasets["model"] == str(tmp_path / "earlier")


def test_outputs_are_created_folders(run, tmp_path):
    output = run.output_datasets["model_score"]
    assert output == str(tmp_path / "run" / "evaluate" / "outputs" / "model_score")
    assert (tmp_path / "run" / "evaluate" / "outputs" / "model_score").is_dir()


def test_a_tabular_dataset_without_csv_files_names_the_dataset(tmp_path):
    empty = LocalTabularDataset("regression-t-training-01", 2, tmp_path)
    with pytest.raises(DatasetReadError, match="dataset 'regression-t-training-01' version 2 "
                                               "holds no CSV files"):
        empty.to_pandas_dataframe()


def _record_run_and_step(run) -> None:
    """Record make_local_run's step as the runner would have (the run is recorded)."""
    run.workspace.runs.start_step(run.parent.id, run.step_name, None)


def test_metrics_tags_and_images_are_recorded_on_the_step(run, tmp_path):
    _record_run_and_step(run)
    run.log("rmse", 1.5)
    run.tag("reason", "better")
    figure, _ = plt.subplots()
    run.log_image("from_plot", plot=figure)
    plt.close(figure)
    picture = tmp_path / "picture.png"
    picture.write_bytes(b"png")
    run.log_image("from_file", path=str(picture))
    [step] = run.workspace.runs.get(run.parent.id).steps
    assert step.metrics == {"rmse": 1.5}
    assert step.tags == {"reason": "better"}
    assert set(step.images) == {"from_plot", "from_file"}
    plot_file = tmp_path / "run" / "evaluate" / "images" / "from_plot.png"
    assert step.images["from_plot"] == str(plot_file)
    assert plot_file.read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "run" / "evaluate" / "images" / "from_file.png").read_bytes() == b"png"


def test_an_image_needs_a_path_or_a_plot(run):
    with pytest.raises(ValueError, match="a path or a plot"):
        run.log_image("nothing")


def test_ids_properties_and_input_details_have_aml_shapes(tmp_path):
    run = make_local_run(tmp_path, {"test_data": {"type": "tabular", "name": "d", "version": 2,
                                                  "path": str(tmp_path)},
                                    "model": {"type": "output", "path": str(tmp_path)}})
    assert (run.id, run.parent.id) == ("test_run.step", "test_run")
    assert not run.get_properties()
    details = run.get_details()
    assert details["runId"] == "test_run.step"
    [dataset] = details["inputDatasets"]
    assert (dataset["dataset"].name, dataset["dataset"].version) == ("d", 2)
    assert dataset["consumptionDetails"] == {"inputName": "test_data"}


def test_fail_leaves_the_error_where_the_runner_reads_it(run, tmp_path):
    run.fail(error_details="column 'bmi' is missing")
    assert (tmp_path / "run" / "evaluate" / ERROR_FILE).read_text(
        encoding="utf-8") == "column 'bmi' is missing"
