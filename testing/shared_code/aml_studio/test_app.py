"""The studio's routes through Flask's test client: the pages, the images, and what it
refuses (other methods, paths outside the workspace, other host names)."""
import hashlib
import re

import pytest
from markupsafe import escape

from shared_code.aml_studio.app import REFRESH_SECONDS, create_app

LOCAL = {"Host": "127.0.0.1:5050"}
SECRET = b"content that must not leak"
PAGES = ["/", "/runs", "/runs?model=model_a&status=Completed", "/models", "/models/model_a",
         "/models/model_a?left=1&right=1", "/datasets"]


@pytest.fixture(name="client")
def fixture_client(recorded):
    app = create_app(recorded.root, trusted_hosts=["localhost", "127.0.0.1", "::1"])
    with app.test_client() as client:
        client.environ_base["HTTP_HOST"] = LOCAL["Host"]
        yield client


def _text(response) -> str:
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def _files(root) -> dict:
    """{relative path: sha256} of every file in the workspace, but SQLite's transient WAL
    files, which a reader may open and remove again."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def test_the_runs_page_lists_runs_newest_first_with_their_outcome(client, recorded):
    page = _text(client.get("/"))
    order = [page.index(run_id) for run_id in (recorded.running, recorded.failed,
                                               recorded.second, recorded.first)]
    assert order == sorted(order)
    assert "registered model_a:1" in page and f'href="/runs/{recorded.first}"' in page


def test_the_runs_page_filters_by_model_and_status(client, recorded):
    page = _text(client.get("/runs?model=model_a&status=Failed"))
    assert recorded.failed in page
    assert all(other not in page for other in (recorded.first, recorded.second,
                                               recorded.running))
    assert '<option value="Failed" selected>' in page


def test_a_finished_runs_page_shows_metrics_the_plot_and_the_comparison(client, recorded):
    page = _text(client.get(f"/runs/{recorded.second}"))
    for expected in ("rmse", "55.2", "champion model_a:1", "rmse 55.2 does not beat 50",
                     "Keep the champion", f'href="/runs/{recorded.first}"'):
        assert expected in page
    assert 'http-equiv="refresh"' not in page
    (src,) = re.findall(r'<img src="([^"]+)"', page)
    image = client.get(src)
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data.startswith(b"\x89PNG")


def test_a_failed_runs_page_shows_the_error(client, recorded):
    page = _text(client.get(f"/runs/{recorded.failed}"))
    assert str(escape(f"step 'evaluate' failed: {recorded.failure}")) in page
    assert 'class="status status-failed"' in page


def test_a_running_runs_page_refreshes_itself_and_nothing_else_does(client, recorded):
    page = _text(client.get(f"/runs/{recorded.running}"))
    assert f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">' in page
    for other in PAGES:
        assert 'http-equiv="refresh"' not in _text(client.get(other))


def test_the_model_page_links_each_version_to_its_run_and_datasets(client, recorded):
    page = _text(client.get("/models/model_a"))
    assert f'href="/runs/{recorded.first}"' in page
    assert 'href="/datasets#regression-test-training-01:1"' in page
    assert "a test model" in page
    assert f'href="/runs/{recorded.first}"' in _text(client.get("/models"))


def test_the_datasets_page_shows_the_description_fields_and_users(client):
    page = _text(client.get("/datasets"))
    for expected in ("Data source", "made by a test", "Original purpose", "Contacts",
                     'href="/models/model_a#v1"', "tabular"):
        assert expected in page


@pytest.mark.parametrize("url, message", [("/runs/model_a_nope", "no run"),
                                          ("/models/model_zz", "no model")])
def test_what_is_not_there_is_a_404_page_saying_so(client, url, message):
    response = client.get(url)
    assert response.status_code == 404 and message in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("url", ["/", "/runs", "/models/model_a", "/datasets", "/nowhere"])
def test_only_get_is_answered(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_no_page_writes_anything(client, recorded):
    before = _files(recorded.root)
    for url in PAGES + [f"/runs/{run_id}" for run_id in (
            recorded.first, recorded.second, recorded.failed, recorded.running)]:
        _text(client.get(url))
    assert _files(recorded.root) == before


def test_an_empty_workspace_is_shown_empty_and_not_created(tmp_path):
    root = tmp_path / "never_used"
    client = create_app(root).test_client()
    assert "No runs yet" in _text(client.get("/"))
    assert "No registered models yet" in _text(client.get("/models"))
    assert "No registered datasets yet" in _text(client.get("/datasets"))
    assert client.get("/runs/model_a_x").status_code == 404
    assert not root.exists()


@pytest.mark.parametrize("path", ["/files/../../secret.txt", "/files/runs/../../../secret.txt",
                                  "/files/%2E%2E/%2E%2E/secret.txt",
                                  "/files/%2F" + "etc/passwd".replace("/", "%2F")])
def test_a_path_out_of_the_workspace_is_refused(client, recorded, path):
    (recorded.root.parent.parent / "secret.txt").write_bytes(SECRET)
    response = client.get(path, follow_redirects=True)
    assert response.status_code in (403, 404)
    assert SECRET not in response.data and b"root:" not in response.data


def test_a_link_out_of_the_workspace_is_refused(client, recorded, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG" + SECRET)
    (recorded.root / "runs" / "leak.png").symlink_to(secret)
    response = client.get("/files/runs/leak.png")
    assert response.status_code == 403 and SECRET not in response.data


@pytest.mark.parametrize("path", ["/files/workspace.db", "/files/runs/none.png",
                                  "/files/datasets"])
def test_only_image_files_are_served(client, path):
    assert client.get(path).status_code == 404


def test_another_host_name_is_refused(client):
    assert client.get("/", headers={"Host": "attacker.example:5050"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:5050"}).status_code == 200


def test_pages_load_nothing_from_elsewhere_and_run_no_script(client, recorded):
    response = client.get(f"/runs/{recorded.first}")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not re.search(r'(src|href)="(https?:)?//', response.get_data(as_text=True))
    assert "<script" not in response.get_data(as_text=True)
