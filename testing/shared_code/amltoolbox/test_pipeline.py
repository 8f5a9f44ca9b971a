"""The pipeline as data: step lists are checked before anything runs."""
import pytest

from shared_code.amltoolbox.pipeline import (DatasetInput, PipelineDefinitionError, Step,
                                             StepOutputRef, load_pipeline, output_of,
                                             registered, registered_datasets, validate_steps)

TRAIN = "regression-t-training-01"
TEST = "regression-t-testing-01"


@pytest.fixture(name="script_dir")
def fixture_script_dir(tmp_path):
    for script in ("train.py", "evaluate.py"):
        (tmp_path / script).write_text("", encoding="utf-8")
    return tmp_path


def test_inputs_are_built_by_registered_and_output_of():
    assert registered(TRAIN) == DatasetInput(TRAIN, None)
    assert registered(TRAIN, 2).describe() == f"{TRAIN}:2"
    assert registered(TRAIN).describe() == f"{TRAIN}:latest"
    assert output_of("train", "model") == StepOutputRef("train", "model")
    assert output_of("train", "model").describe() == "train.model"


def test_a_step_reuses_by_default_and_does_not_compare_with_a_champion():
    step = Step("train", "train.py")
    assert step.reuse and not step.compares_with_champion


def test_model_a_step_list_is_valid():
    config, steps = load_pipeline("model_a")
    validate_steps(steps, config.folder / "script_steps")
    assert [s.name for s in steps] == ["train", "evaluate", "register"]
    assert not steps[-1].reuse and steps[1].compares_with_champion


@pytest.mark.parametrize("steps, problem", [
    ([Step("train", "train.py"), Step("train", "evaluate.py")],
     "two steps are called 'train'"),
    ([Step("train", "missing.py")], r"step 'train': script .*missing.py does not exist"),
    ([Step("train", "train.py", inputs={"train_data": TRAIN})],
     r"input 'train_data' must be registered\(...\) or output_of\(...\)"),
    ([Step("evaluate", "evaluate.py", inputs={"model": output_of("train", "model")}),
      Step("train", "train.py", outputs=["model"])],
     "input 'model' reads from 'train', which is not an earlier step"),
    ([Step("train", "train.py", outputs=["model"]),
      Step("evaluate", "evaluate.py", inputs={"model": output_of("train", "modle")})],
     "step 'train' has no output 'modle' \\(it has: model\\)"),
    ([Step("train", "train.py"),
      Step("evaluate", "evaluate.py", inputs={"model": output_of("train", "model")})],
     "has no output 'model' \\(it has: none\\)"),
    ([Step("train", "train.py", inputs={"model": registered(TRAIN)}, outputs=["model"])],
     "model is both an input and an output name"),
])
def test_a_bad_step_list_is_refused_saying_what_to_fix(script_dir, steps, problem):
    with pytest.raises(PipelineDefinitionError, match=problem):
        validate_steps(steps, script_dir)


def test_every_problem_is_reported_at_once(script_dir):
    steps = [Step("train", "nope.py"), Step("train", "evaluate.py",
                                           inputs={"x": output_of("later", "y")})]
    with pytest.raises(PipelineDefinitionError) as raised:
        validate_steps(steps, script_dir)
    assert str(raised.value).count("\n  - ") == 3


def test_registered_datasets_are_listed_once_in_order_of_first_use():
    steps = [Step("train", "train.py", inputs={"train_data": registered(TRAIN)}),
             Step("evaluate", "evaluate.py",
                  inputs={"test_data": registered(TEST), "again": registered(TRAIN),
                          "model": output_of("train", "model")})]
    assert registered_datasets(steps) == [registered(TRAIN), registered(TEST)]


@pytest.mark.parametrize("model", ["model_a", "model_b"])
def test_a_models_steps_are_declared_in_its_own_file_wired_by_name(model):
    config, (train, evaluate, register) = load_pipeline(model)
    assert (evaluate.script_name, register.script_name) == ("evaluate.py", "register.py")
    assert train.inputs == {"train_data": registered(config.dataset("training").name)}
    assert evaluate.inputs == {"model": output_of("train", "model"),
                               "test_data": registered(config.dataset("testing").name)}
    assert register.inputs == {"model": output_of("train", "model"),
                               "model_score": output_of("evaluate", "model_score")}
    assert evaluate.compares_with_champion and not register.reuse and train.reuse
    assert all(step.compute_target is None and step.environment is None
               for step in (train, evaluate, register))  # the model's own, by default


def test_a_process_data_step_is_one_more_entry():
    config, steps = load_pipeline("model_a")
    train = steps[0]
    process = Step("process_data", train.script_name, inputs=dict(train.inputs),
                   outputs=["data"])
    steps = [process, Step(train.name, train.script_name,
                           inputs={"train_data": output_of("process_data", "data")},
                           outputs=train.outputs), *steps[1:]]
    validate_steps(steps, config.layout.script_steps)
    assert [step.name for step in steps] == ["process_data", "train", "evaluate", "register"]


def test_a_steps_environment_must_be_a_conda_file_of_the_model(tmp_path):
    scripts = tmp_path / "model_x" / "script_steps"
    scripts.mkdir(parents=True)
    (scripts / "train.py").write_text("", encoding="utf-8")
    (tmp_path / "model_x" / "gpu.yml").write_text("name: gpu\n", encoding="utf-8")
    validate_steps([Step("train", "train.py", environment="gpu.yml",
                         compute_target="gpu-cluster")], scripts)
    with pytest.raises(PipelineDefinitionError,
                       match=r"environment .*model_x/missing\.yml does not exist"):
        validate_steps([Step("train", "train.py", environment="missing.yml")], scripts)
