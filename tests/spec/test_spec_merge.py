"""Merge: per path+method, components by name; every conflict names both sources."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from spec_helpers import SEED_NAME, SEED_PAGE
from specbuild.errors import SpecBuildError
from specbuild.merge import merge_fragments
from specbuild.sources import Fragment, extract_fragments, read_sources


@pytest.fixture
def seed_merged() -> dict[str, Any]:
    return merge_fragments(extract_fragments(SEED_PAGE))


def _new_operation(seed: dict[str, Any]) -> dict[str, Any]:
    """A copy of the GET /{media_id} block moved to a path of its own."""
    document = copy.deepcopy(seed)
    operation = document["paths"].pop("/{media_id}")["get"]
    operation["operationId"] = "get-media-preview"
    document["paths"]["/{media_id}/preview"] = {"get": operation}
    return document


def test_two_methods_on_one_path_are_both_kept(seed_merged: dict[str, Any]) -> None:
    item = seed_merged["paths"]["/{media_id}"]

    assert list(item) == ["get", "delete"]
    assert item["get"]["operationId"] == "get-media-by-id"
    assert item["delete"]["operationId"] == "delete-media-by-id"
    assert seed_merged["paths"]["/whatsapp_business/attachments/"]["get"]["operationId"] == (
        "get-media-attachments"
    )


def test_components_of_all_blocks_are_merged(seed_merged: dict[str, Any]) -> None:
    assert seed_merged["components"] == {
        "schemas": {
            "media_id.DeleteMediaResponse": {
                "description": "Response payload for successful media deletion",
                "properties": {"success": {"type": "boolean"}},
                "type": "object",
            },
            "media_id.GetMediaURLResponse": seed_merged["components"]["schemas"][
                "media_id.GetMediaURLResponse"
            ],
            "utils.ErrorResp": {"properties": {"error": {"type": "string"}}, "type": "object"},
        },
        "securitySchemes": {
            "D360-API-KEY": {
                "description": "API Key for Messaging API authentication. Send your API key in "
                "the D360-API-KEY header.",
                "in": "header",
                "name": "D360-API-KEY",
                "type": "apiKey",
            }
        },
    }
    assert set(
        seed_merged["components"]["schemas"]["media_id.GetMediaURLResponse"]["properties"]
    ) == {"file_size", "id", "messaging_product", "mime_type", "sha256", "url"}
    assert seed_merged["info"] == {
        "title": "Messaging API",
        "version": "1.41.0",
        "x-source-versions": {SEED_NAME: "1.41.0"},
    }
    assert seed_merged["servers"] == [
        {"description": "Production server", "url": "https://waba-v2.360dialog.io"}
    ]
    assert seed_merged["security"] == [{"D360-API-KEY": []}]
    assert seed_merged["tags"] == [
        {"name": "Media", "description": "Endpoints for managing media files"}
    ]


def test_output_is_sorted_and_independent_of_input_order(
    seed_merged: dict[str, Any], seed_documents: list[dict[str, Any]]
) -> None:
    extra = _new_operation(seed_documents[1])
    fragments = [*extract_fragments(SEED_PAGE), Fragment(extra, "extra.md:1")]

    forward = merge_fragments(fragments)
    backward = merge_fragments(list(reversed(fragments)))

    assert list(forward["paths"]) == sorted(forward["paths"])
    assert list(forward["paths"]) == [
        "/whatsapp_business/attachments/",
        "/{media_id}",
        "/{media_id}/preview",
    ]
    for section in forward["components"].values():
        assert list(section) == sorted(section)
    assert list(forward["components"]) == sorted(forward["components"])
    # Same content and the same key order, whatever order the fragments came in.
    assert json.dumps(forward) == json.dumps(backward)
    assert json.dumps(merge_fragments(extract_fragments(SEED_PAGE))) == json.dumps(seed_merged)


def test_merge_does_not_alias_its_inputs(seed_documents: list[dict[str, Any]]) -> None:
    fragments = [Fragment(d, f"p.md:{i}") for i, d in enumerate(seed_documents)]
    before = copy.deepcopy(seed_documents)

    merged = merge_fragments(fragments)
    merged["components"]["schemas"]["utils.ErrorResp"]["properties"]["x"] = {}
    merged["paths"]["/{media_id}"]["get"]["summary"] = "changed"
    merged["info"]["version"] = "9"

    assert seed_documents == before


def test_conflicting_component_in_second_page_names_both_files(
    tmp_path: Path, seed_documents: list[dict[str, Any]], write_page: Callable[..., Path]
) -> None:
    write_page("a-media.md", *seed_documents)
    other = _new_operation(seed_documents[1])
    other["components"]["schemas"]["utils.ErrorResp"]["properties"]["code"] = {"type": "integer"}
    write_page("b-other.md", other)

    with pytest.raises(SpecBuildError) as info:
        merge_fragments(read_sources(tmp_path / "sources"))

    message = str(info.value)
    assert "utils.ErrorResp" in message
    assert "a-media.md:" in message
    assert "b-other.md:" in message


def test_identical_component_in_second_page_is_fine(
    tmp_path: Path, seed_documents: list[dict[str, Any]], write_page: Callable[..., Path]
) -> None:
    write_page("a-media.md", *seed_documents)
    write_page("b-other.md", _new_operation(seed_documents[1]))

    merged = merge_fragments(read_sources(tmp_path / "sources"))

    assert merged["paths"]["/{media_id}/preview"]["get"]["operationId"] == "get-media-preview"
    assert len(merged["components"]["schemas"]) == 3


def test_duplicate_operation_names_both_files(
    tmp_path: Path, seed_documents: list[dict[str, Any]], write_page: Callable[..., Path]
) -> None:
    write_page("a-media.md", *seed_documents)
    write_page("b-again.md", seed_documents[2])  # DELETE /{media_id} once more

    with pytest.raises(SpecBuildError) as info:
        merge_fragments(read_sources(tmp_path / "sources"))

    message = str(info.value)
    assert "DELETE /{media_id}" in message
    assert "a-media.md:" in message
    assert "b-again.md:" in message


def test_duplicate_operation_within_one_page_names_both_blocks(
    seed_documents: list[dict[str, Any]],
) -> None:
    fragments = [
        Fragment(seed_documents[1], f"{SEED_NAME}:17"),
        Fragment(seed_documents[1], f"{SEED_NAME}:40"),
    ]

    with pytest.raises(SpecBuildError, match=rf"{SEED_NAME}:17.*{SEED_NAME}:40"):
        merge_fragments(fragments)


@pytest.mark.parametrize(
    ("key", "change"),
    [
        ("info", lambda d: d["info"].update(title="Cloud API")),
        ("info", lambda d: d["info"].update(description="another API")),
        ("openapi", lambda d: d.update(openapi="3.0.3")),
        ("servers", lambda d: d["servers"][0].update(url="https://waba.360dialog.io")),
        ("security", lambda d: d.update(security=[{"Other": []}])),
        ("security", lambda d: d.pop("security")),
    ],
)
def test_differing_shared_keys_name_both_files(
    tmp_path: Path,
    seed_documents: list[dict[str, Any]],
    write_page: Callable[..., Path],
    key: str,
    change: Callable[[dict[str, Any]], Any],
) -> None:
    write_page("a-media.md", *seed_documents)
    other = _new_operation(seed_documents[1])
    change(other)
    write_page("b-other.md", other)

    with pytest.raises(SpecBuildError) as info:
        merge_fragments(read_sources(tmp_path / "sources"))

    message = str(info.value)
    assert f"'{key}'" in message
    assert "a-media.md:" in message
    assert "b-other.md:" in message


def test_one_page_with_two_versions_names_both_blocks_and_versions(
    tmp_path: Path, seed_documents: list[dict[str, Any]], write_page: Callable[..., Path]
) -> None:
    other = _new_operation(seed_documents[1])
    other["info"]["version"] = "1.42.0"
    write_page("a-media.md", *seed_documents, other)

    with pytest.raises(SpecBuildError) as info:
        merge_fragments(read_sources(tmp_path / "sources"))

    message = str(info.value)
    assert "a-media.md mixes versions" in message
    assert "1.41.0 in a-media.md:" in message
    assert "1.42.0 in a-media.md:" in message


def test_conflicting_tag_is_an_error(seed_documents: list[dict[str, Any]]) -> None:
    other = _new_operation(seed_documents[1])
    other["tags"] = [{"name": "Media", "description": "something else"}]
    fragments = [Fragment(seed_documents[0], "a.md:9"), Fragment(other, "b.md:3")]

    with pytest.raises(SpecBuildError, match=r"tag 'Media'.*a\.md:9.*b\.md:3"):
        merge_fragments(fragments)


def test_nothing_to_merge_is_an_error() -> None:
    with pytest.raises(SpecBuildError):
        merge_fragments([])
