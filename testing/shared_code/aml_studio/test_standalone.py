"""One run's page as one self-contained HTML file."""
import base64
import re

from shared_code.aml_studio.standalone import run_page_html, write_run_html


def test_the_file_embeds_the_images_and_the_css_and_links_nowhere(opened, recorded):
    html = run_page_html(opened, recorded.first)
    (src,) = re.findall(r'<img src="([^"]+)"', html)
    assert src.startswith("data:image/png;base64,")
    png = recorded.root / "runs" / recorded.first / "evaluate" / "images"
    assert base64.b64decode(src.split(",", 1)[1]) == \
        (png / "predicted_vs_actual.png").read_bytes()
    assert "<style>" in html and "font:" in html and 'rel="stylesheet"' not in html
    assert not re.search(r'(src|href|action)="/', html), "a link to a page the file cannot reach"
    for expected in ("rmse", "55.2", "registered model_a:1", "training on 2 rows"):
        assert expected in html


def test_a_running_runs_file_does_not_refresh(opened, recorded):
    assert 'http-equiv="refresh"' not in run_page_html(opened, recorded.running)


def test_a_failed_runs_file_shows_the_error(opened, recorded):
    assert recorded.failure.replace("'", "&#39;") in run_page_html(opened, recorded.failed)


def test_the_file_is_written_where_asked_its_folder_made(opened, recorded, tmp_path):
    target = tmp_path / "artifacts" / "run.html"
    assert write_run_html(opened, recorded.first, target) == target
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
