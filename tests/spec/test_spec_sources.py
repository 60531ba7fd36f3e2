"""Extract: only the ```json blocks of the docs pages are read, and errors name the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from spec_helpers import SEED_NAME, SEED_PAGE, json_block_lines, json_blocks
from specbuild.errors import SpecBuildError
from specbuild.sources import extract_fragments, markdown_url, page_name_for, read_sources


def test_seed_page_has_three_blocks_with_line_origins() -> None:
    fragments = extract_fragments(SEED_PAGE)
    text = SEED_PAGE.read_text(encoding="utf-8")

    assert [f.origin for f in fragments] == [
        f"{SEED_NAME}:{line}" for line in json_block_lines(text)
    ]
    assert [f.origin for f in fragments] == [f"{SEED_NAME}:9", f"{SEED_NAME}:17", f"{SEED_NAME}:25"]
    assert [f.document for f in fragments] == json_blocks(text)
    operation_ids = [
        op["operationId"]
        for f in fragments
        for item in f.document["paths"].values()
        for op in item.values()
    ]
    assert operation_ids == ["get-media-attachments", "get-media-by-id", "delete-media-by-id"]


def test_seed_page_other_code_block_and_prose_are_ignored() -> None:
    text = SEED_PAGE.read_text(encoding="utf-8")
    # The page does hold another fenced block (the "ask" GET) and the boilerplate text.
    assert "GET https://docs.360dialog.com/docs/messaging-api/api-reference/media.md?ask=" in text
    assert text.count("```") > 2 * len(json_block_lines(text))

    documents = [f.document for f in extract_fragments(SEED_PAGE)]

    assert len(documents) == 3
    assert all(
        set(d) == {"openapi", "info", "tags", "servers", "security", "components", "paths"}
        for d in documents
    )
    assert "ask=" not in json.dumps(documents)


def test_unlabelled_and_other_language_blocks_are_not_read(tmp_path: Path) -> None:
    document = json.loads(json.dumps(json_blocks(SEED_PAGE.read_text())[0]))
    text = (
        "# Page\n\nSome prose with `inline json` and a ```json mention mid-line.\n\n"
        f"```\n{{not json at all\n```\n\n"
        f'```jsonc\n{{"openapi": "broken", // comment\n```\n\n'
        f"```http\nGET /x\n```\n\n"
        f"```json\n{json.dumps(document)}\n```\n\n"
        "Trailing boilerplate.\n"
    )
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")

    fragments = extract_fragments(page)

    assert [f.document for f in fragments] == [document]
    assert json_block_lines(text) == [17]
    assert [f.origin for f in fragments] == ["page.md:17"]


def test_broken_json_block_names_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "broken-page.md"
    text = SEED_PAGE.read_text(encoding="utf-8")
    second = json_block_lines(text)[1]
    lines = text.splitlines(keepends=True)
    lines[second] = lines[second].replace('"paths":', '"paths"', 1)  # drop a colon
    page.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(SpecBuildError) as info:
        extract_fragments(page)

    assert f"broken-page.md:{second}" in str(info.value)
    assert "does not parse" in str(info.value)

    # read_sources surfaces the same error for a folder holding that page.
    with pytest.raises(SpecBuildError, match=r"broken-page\.md:"):
        read_sources(tmp_path)


@pytest.mark.parametrize("body", ["[1, 2, 3]", '{"title": "an example body, not OpenAPI"}'])
def test_json_block_that_is_not_openapi_is_an_error(tmp_path: Path, body: str) -> None:
    page = tmp_path / "example.md"
    page.write_text(f"# x\n\n```json\n{body}\n```\n", encoding="utf-8")

    with pytest.raises(SpecBuildError, match=r"example\.md:3: .*not an OpenAPI document"):
        extract_fragments(page)


def test_folder_without_pages_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a page")
    (tmp_path / "page.md.bak").write_text("not a page either")

    with pytest.raises(SpecBuildError, match="no docs pages"):
        read_sources(tmp_path)


def test_page_without_json_block_is_an_error(tmp_path: Path) -> None:
    shutil.copy(SEED_PAGE, tmp_path / SEED_NAME)
    (tmp_path / "zz-empty.md").write_text("# Nothing\n\n```\nGET /x\n```\n", encoding="utf-8")

    with pytest.raises(SpecBuildError, match=r"zz-empty\.md"):
        read_sources(tmp_path)


def test_read_sources_reads_pages_in_name_order(tmp_path: Path) -> None:
    blocks = json_blocks(SEED_PAGE.read_text())
    (tmp_path / "b.md").write_text(f"```json\n{json.dumps(blocks[0])}\n```\n")
    (tmp_path / "a.md").write_text(f"x\n\n```json\n{json.dumps(blocks[1])}\n```\n")

    fragments = read_sources(tmp_path)

    assert [f.origin for f in fragments] == ["a.md:3", "b.md:1"]
    assert [f.document for f in fragments] == [blocks[1], blocks[0]]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (
            "https://docs.360dialog.com/docs/messaging-api/api-reference/media",
            "messaging-api-api-reference-media.md",
        ),
        (
            "http://127.0.0.1:8000/docs/messaging-api/api-reference/media.md?x=1#frag",
            "messaging-api-api-reference-media.md",
        ),
        ("https://docs.example.com/waba messaging/Media!", "waba_messaging-Media_.md"),
    ],
)
def test_page_name_for(url: str, name: str) -> None:
    assert page_name_for(url) == name


def test_page_name_for_rejects_a_url_without_path() -> None:
    with pytest.raises(SpecBuildError):
        page_name_for("https://docs.360dialog.com/docs/")


def test_markdown_url() -> None:
    assert markdown_url("https://d.example/docs/media") == "https://d.example/docs/media.md"
    assert markdown_url("https://d.example/docs/media.md") == "https://d.example/docs/media.md"
    assert markdown_url("https://d.example/docs/media?a=1") == "https://d.example/docs/media.md?a=1"


def test_origins_can_carry_the_page_name_of_a_temp_file(tmp_path: Path) -> None:
    temp = tmp_path / ".media.md.x1y2"
    shutil.copy(SEED_PAGE, temp)

    fragments = extract_fragments(temp, name="media.md")

    assert [f.origin for f in fragments] == ["media.md:9", "media.md:17", "media.md:25"]
