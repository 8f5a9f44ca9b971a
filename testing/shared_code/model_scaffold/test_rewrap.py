"""new-model's rewrap: comments, docstring lines and imports a longer name pushed past the
limit are wrapped again; other code is left as it was, for the checklist."""
import ast

import pytest

from shared_code.model_scaffold.rewrap import MAX_LINE_LENGTH, rewrap_long_lines

LONG = "canal_level_forecasting_" * 3
CASES = {
    "docstring": f'"""Train {LONG}, from the Tabular dataset `train_data` that the pipeline gives '
                 'it, and so on."""\n',
    "docstring body": f'def f():\n    """One line.\n\n    {LONG} is the model that this '
                      'function trains when the pipeline runs the step.\n    """\n',
    "comment": f"x = 1\n# {LONG} is the model that this comment describes in a few more words\n",
    "trailing comment": f"value = 2  # could-change: the value {LONG} uses in its training runs\n",
    "import": f"from {LONG}.model import TARGET_KEY, check_table, make_baseline_scorer, "
              "make_scorer\n",
}


def _words(text: str) -> list[str]:
    return sorted(text.replace("#", " ").replace("(", " ").replace(")", " ").split())


@pytest.mark.parametrize("case", CASES)
def test_a_long_line_is_wrapped_within_the_limit_and_means_the_same(case):
    text = CASES[case]
    wrapped = rewrap_long_lines(text)
    assert any(len(line) > MAX_LINE_LENGTH for line in text.splitlines())
    assert all(len(line) <= MAX_LINE_LENGTH for line in wrapped.splitlines()), wrapped
    assert _words(wrapped) == _words(text)
    if "docstring" in case:
        assert " ".join(ast.get_docstring(ast.parse(wrapped).body[-1] if "body" in case
                                          else ast.parse(wrapped)).split()) == \
            " ".join(ast.get_docstring(ast.parse(text).body[-1] if "body" in case
                                       else ast.parse(text)).split())
    else:
        assert ast.dump(ast.parse(wrapped)) == ast.dump(ast.parse(text))


def test_other_code_and_short_lines_are_left_as_they_are():
    code = f"result = {LONG}.call(argument_one, argument_two, argument_three, argument_4)\n"
    assert rewrap_long_lines(code) == code
    implicit = (f'TEXT = (\n    "{LONG} is a string literal continued on the next line of '
                'this "\n    "call")\n')
    assert rewrap_long_lines(implicit) == implicit
    assert rewrap_long_lines("x = 1\n") == "x = 1\n"
