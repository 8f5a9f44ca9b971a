"""The card's sections of a model's documentation file, and the warnings when one is missing."""
import pytest

from tested_models import model_folders_under_test
from shared_code.model_monitoring.documentation import (CARD_HEADINGS, card_documentation,
                                                        main_documentation, markdown_sections)

DOCUMENT = """# model_x

## Purpose <!-- should-change: quoted by the card -->

Predict things.

## Intended use

Research.

### Not for

Clinics.

```python
# Limitations
not a heading inside code
```

## Contacts

me@example.com <!-- should-change -->
"""


@pytest.fixture(name="model_folder")
def fixture_model_folder(tmp_path):
    folder = tmp_path / "model_x"
    (folder / "documentation").mkdir(parents=True)
    (folder / "documentation" / "model_x.md").write_text(DOCUMENT, encoding="utf-8")
    return folder


def test_a_section_runs_to_the_next_heading_of_its_level_and_keeps_its_sub_sections():
    sections = markdown_sections(DOCUMENT)
    assert sections["purpose"] == "Predict things."
    assert sections["intended use"].startswith("Research.\n\n### Not for\n\nClinics.")
    assert sections["not for"].startswith("Clinics.")
    assert "limitations" not in sections  # a line of code, not a heading
    assert sections["not for"].endswith("not a heading inside code\n```")
    assert sections["contacts"] == "me@example.com"  # the comment is not quoted


def test_a_missing_heading_is_a_warning_naming_the_file_and_the_heading(model_folder):
    found = card_documentation(model_folder)
    assert set(found.sections) == {"Purpose", "Intended use", "Contacts"}
    (warning,) = found.warnings
    assert str(model_folder / "documentation" / "model_x.md") in warning
    assert "'## Limitations' is missing" in warning


def test_an_empty_section_is_a_warning_too(model_folder):
    document = model_folder / "documentation" / "model_x.md"
    document.write_text(DOCUMENT + "\n## Limitations\n\n", encoding="utf-8")
    (warning,) = card_documentation(model_folder).warnings
    assert "'## Limitations' is empty" in warning


def test_without_a_documentation_file_the_card_warns_and_goes_on(tmp_path):
    found = card_documentation(tmp_path / "model_y")
    assert found.file is None and not found.sections
    assert "model_y.md does not exist" in found.warnings[0]


def test_the_only_markdown_file_is_the_main_one_when_none_is_named_after_the_folder(tmp_path):
    (tmp_path / "model_z" / "documentation").mkdir(parents=True)
    only = tmp_path / "model_z" / "documentation" / "guide.md"
    only.write_text("# guide\n", encoding="utf-8")
    assert main_documentation(tmp_path / "model_z") == only
    (tmp_path / "model_z" / "documentation" / "other.md").write_text("", encoding="utf-8")
    assert main_documentation(tmp_path / "model_z") is None


@pytest.mark.parametrize("folder", model_folders_under_test(), ids=lambda folder: folder.name)
def test_every_models_documentation_has_every_heading_the_card_needs(folder):
    found = card_documentation(folder)
    assert not found.warnings
    assert list(found.sections) == list(CARD_HEADINGS)
