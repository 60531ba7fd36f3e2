"""generate.py --fetch against a docs site on loopback: replace pages safely, list new ones."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from spec_helpers import BUMPED_PAGE, SEED_NAME, SEED_PAGE, json_blocks, run_generate, tree_bytes
from specbuild.sources import page_name_for

PAGE_PATH = "/docs/messaging-api/api-reference/media"


@dataclass
class DocsSite:
    """What the loopback docs site answers: path -> (status, body); and what it was asked."""

    base: str
    routes: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def _server() -> Iterator[tuple[ThreadingHTTPServer, DocsSite]]:
    site = DocsSite(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(self.path)
            status, body = site.routes.get(self.path, (404, b"Not Found"))
            self.send_response(status)
            self.send_header("Content-Type", "text/markdown; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def site(_server: tuple[ThreadingHTTPServer, DocsSite]) -> DocsSite:
    docs = _server[1]
    docs.routes.clear()
    docs.requests.clear()
    return docs


@pytest.fixture
def local_spec(repo_copy: tuple[Path, Path], site: DocsSite) -> tuple[Path, Path]:
    """A copy of spec/ and generated/ whose pages.json points the seed page at the local site."""
    spec_dir, generated = repo_copy
    (spec_dir / "pages.json").write_text(
        json.dumps({SEED_NAME: site.base + PAGE_PATH}, indent=2) + "\n"
    )
    return spec_dir, generated


def _snapshot(spec_dir: Path, generated: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    return tree_bytes(spec_dir), tree_bytes(generated)


def test_fetch_replaces_the_page_and_prints_the_bump(
    local_spec: tuple[Path, Path], site: DocsSite
) -> None:
    spec_dir, generated = local_spec
    site.routes[PAGE_PATH + ".md"] = (200, BUMPED_PAGE.read_bytes())
    pages_before = (spec_dir / "pages.json").read_text()

    result = run_generate("--fetch", "--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 0, result.stderr
    assert site.requests == [PAGE_PATH + ".md"]
    assert (spec_dir / "sources" / SEED_NAME).read_bytes() == BUMPED_PAGE.read_bytes()
    assert [p.name for p in (spec_dir / "sources").iterdir()] == [SEED_NAME]
    assert (spec_dir / "pages.json").read_text() == pages_before
    assert f"fetched {site.base}{PAGE_PATH} -> spec/sources/{SEED_NAME}" in result.stdout
    assert "API version: 1.41.0 -> 1.42.0" in result.stdout
    assert "operation added: GET /{media_id}/thumbnail (get-media-thumbnail)" in result.stdout
    assert json.loads((spec_dir / "openapi.json").read_text())["info"]["version"] == "1.42.0"
    assert (generated / "dialog360_api" / "api" / "media" / "get_media_thumbnail.py").is_file()


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (404, b"Not Found", "HTTP 404"),
        (500, b"oops", "HTTP 500"),
        (200, b"# Media\n\nNo blocks here.\n\n```\nGET /x\n```\n", "no ```json OpenAPI block"),
        (200, b"<html><body>Sign in</body></html>", "no ```json OpenAPI block"),
        (
            200,
            b'# Media\n\n```json\n{"openapi": "3.1.0",\n```\n',
            f"{SEED_NAME}:3: the json block does not parse",
        ),
    ],
)
def test_failed_fetch_exits_2_and_changes_nothing(
    local_spec: tuple[Path, Path], site: DocsSite, status: int, body: bytes, message: str
) -> None:
    spec_dir, generated = local_spec
    site.routes[PAGE_PATH + ".md"] = (status, body)
    before = _snapshot(spec_dir, generated)

    result = run_generate("--fetch", "--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert f"{site.base}{PAGE_PATH}: " in result.stderr  # the error names the page's url
    assert "Traceback" not in result.stderr
    assert site.requests == [PAGE_PATH + ".md"]
    # Same page, same pages.json, no partial or temp file in sources/, same package.
    assert _snapshot(spec_dir, generated) == before
    assert [p.name for p in (spec_dir / "sources").iterdir()] == [SEED_NAME]
    assert (spec_dir / "sources" / SEED_NAME).read_bytes() == SEED_PAGE.read_bytes()


def test_unreachable_site_exits_2_and_changes_nothing(
    repo_copy: tuple[Path, Path],
) -> None:
    spec_dir, generated = repo_copy
    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}{PAGE_PATH}"
    (spec_dir / "pages.json").write_text(json.dumps({SEED_NAME: url}))
    before = _snapshot(spec_dir, generated)

    result = run_generate("--fetch", "--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 2
    assert "fetch failed" in result.stderr
    assert url in result.stderr
    assert _snapshot(spec_dir, generated) == before


def test_fetch_of_a_new_url_adds_it_to_pages_json(
    local_spec: tuple[Path, Path], site: DocsSite
) -> None:
    spec_dir, generated = local_spec
    # A second docs page at 1.41.0 with one more operation (the fixture's thumbnail block).
    thumbnail = json_blocks(BUMPED_PAGE.read_text())[-1]
    thumbnail["info"]["version"] = "1.41.0"
    del thumbnail["components"]["schemas"]["media_id.GetMediaURLResponse"]["properties"][
        "created_at"
    ]
    new_path = "/docs/messaging-api/api-reference/media-thumbnail"
    page = f"# Thumbnail\n\n```json\n{json.dumps(thumbnail)}\n```\n\n---\nboilerplate\n"
    site.routes[new_path + ".md"] = (200, page.encode())
    new_url = site.base + new_path
    new_name = page_name_for(new_url)
    assert new_name == "messaging-api-api-reference-media-thumbnail.md"

    result = run_generate("--fetch", new_url, "--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 0, result.stderr
    assert site.requests == [new_path + ".md"]  # only the url asked for
    assert json.loads((spec_dir / "pages.json").read_text()) == {
        SEED_NAME: site.base + PAGE_PATH,
        new_name: new_url,
    }
    assert (spec_dir / "sources" / new_name).read_text() == page
    assert (spec_dir / "sources" / SEED_NAME).read_bytes() == SEED_PAGE.read_bytes()
    assert "operation added: GET /{media_id}/thumbnail (get-media-thumbnail)" in result.stdout
    assert "API version" not in result.stdout


def test_fetch_and_check_do_not_go_together(repo_copy: tuple[Path, Path]) -> None:
    spec_dir, generated = repo_copy

    result = run_generate("--fetch", "--check", "--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 2
    assert "--check" in result.stderr
