"""What a compiled v2 job tells its step, and how the step reads its command line."""
import pytest

from shared_code.aml_sdk_v2.step_io import InputSpec, StepIO, StepIOError

IO = StepIO(step="evaluate",
            inputs={"model": InputSpec(type="uri_folder"),
                    "test_data": InputSpec(type="mltable", dataset="x-y-testing-01", version="3")},
            outputs=("model_score",))


def test_the_description_survives_the_environment_variable():
    assert StepIO.from_json(IO.to_json()) == IO


def test_the_job_passes_every_input_and_output_as_a_named_path():
    assert IO.command_arguments() == [
        "--model", "${{inputs.model}}", "--test_data", "${{inputs.test_data}}",
        "--model_score", "${{outputs.model_score}}"]


def test_paths_are_read_from_the_command_line_and_other_arguments_left_alone():
    inputs, outputs = IO.parse_paths(["--trees", "3", "--model", "/mnt/m", "--test_data",
                                      "/mnt/t", "--model_score", "/mnt/s"])
    assert inputs == {"model": "/mnt/m", "test_data": "/mnt/t"}
    assert outputs == {"model_score": "/mnt/s"}


def test_a_missing_path_names_what_the_step_expects():
    with pytest.raises(StepIOError, match="model, test_data, model_score"):
        IO.parse_paths(["--model", "/mnt/m"])


@pytest.mark.parametrize("text", ["not json", '{"step": "x"}', '{"step": "x", "inputs": '
                                  '{"a": {"kind": 1}}, "outputs": []}'])
def test_a_broken_description_says_to_compile_again(text):
    with pytest.raises(StepIOError, match="compile the pipeline again"):
        StepIO.from_json(text)
