"""Overlay: OpenAPI Overlay 1.0 actions, and what the real overlays make of the seed page."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate
from spec_helpers import SEED_PAGE, SPEC
from specbuild.build import build_spec, render_spec
from specbuild.errors import SpecBuildError
from specbuild.merge import merge_fragments
from specbuild.overlay import apply_overlay, apply_overlays, deep_merge, load_overlay
from specbuild.sources import extract_fragments

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
ERROR_JSON = {"application/json": {"schema": {"$ref": "#/components/schemas/utils.ErrorResp"}}}


@pytest.fixture
def merged() -> dict[str, Any]:
    return merge_fragments(extract_fragments(SEED_PAGE))


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    return build_spec(SPEC / "sources", SPEC / "overlays")


def _write_overlay(folder: Path, name: str, actions: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    overlay = {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions}
    path.write_text(yaml.safe_dump(overlay, sort_keys=False), encoding="utf-8")
    return path


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    }


# --- the overlay mechanics ---------------------------------------------------------------


def test_dead_target_names_the_overlay_file(tmp_path: Path, merged: dict[str, Any]) -> None:
    folder = tmp_path / "overlays"
    _write_overlay(folder, "10-fine.yaml", [{"target": "$.info", "update": {"x-a": 1}}])
    _write_overlay(
        folder,
        "20-obsolete.yaml",
        [{"target": "$.paths['/no/such/path'].get", "update": {"summary": "x"}}],
    )

    with pytest.raises(SpecBuildError) as info:
        apply_overlays(merged, folder)

    assert "20-obsolete.yaml" in str(info.value)
    assert "/no/such/path" in str(info.value)
    assert "matches nothing" in str(info.value)


def test_dead_target_in_a_copy_of_the_real_overlays_fails_the_build(tmp_path: Path) -> None:
    overlays = tmp_path / "overlays"
    shutil.copytree(SPEC / "overlays", overlays)
    _write_overlay(
        overlays,
        "60-thumbnail.yaml",
        [{"target": "$.paths['/{media_id}/thumbnail'].get", "remove": True}],
    )

    with pytest.raises(SpecBuildError, match=r"60-thumbnail\.yaml"):
        build_spec(SPEC / "sources", overlays)


def test_remove_deletes_a_key(merged: dict[str, Any]) -> None:
    overlay = {"actions": [{"target": "$.paths['/{media_id}'].delete", "remove": True}]}

    apply_overlay(merged, overlay, "o.yaml")

    assert list(merged["paths"]["/{media_id}"]) == ["get"]


def test_remove_deletes_list_items_by_filter(merged: dict[str, Any]) -> None:
    # A filter on a list: jsonpath-ng names each match by its index.
    overlay = {
        "actions": [
            {
                "target": "$.paths['/{media_id}'].get.parameters[?(@.name == 'media_id')]",
                "remove": True,
            }
        ]
    }

    apply_overlay(merged, overlay, "o.yaml")

    assert merged["paths"]["/{media_id}"]["get"]["parameters"] == []
    assert len(merged["paths"]["/{media_id}"]["delete"]["parameters"]) == 1


def test_remove_several_list_items_keeps_the_rest_in_order() -> None:
    document = {"servers": [{"url": "a"}, {"url": "b"}, {"url": "c"}, {"url": "d"}]}
    overlay = {"actions": [{"target": "$.servers[?(@.url != 'c')]", "remove": True}]}

    apply_overlay(document, overlay, "o.yaml")

    assert document == {"servers": [{"url": "c"}]}


def test_update_merges_objects_and_appends_to_arrays(merged: dict[str, Any]) -> None:
    before = copy.deepcopy(merged["paths"]["/{media_id}"]["get"])
    overlay = {
        "actions": [
            {
                "target": "$.paths['/{media_id}'].get",
                "update": {
                    "summary": "Replaced",
                    "responses": {"404": {"description": "Not found", "content": ERROR_JSON}},
                    "tags": ["Extra"],
                },
            },
            {"target": "$.info.version", "update": "9.9.9"},
        ]
    }

    apply_overlay(merged, overlay, "o.yaml")

    after = merged["paths"]["/{media_id}"]["get"]
    assert after["summary"] == "Replaced"
    assert after["tags"] == ["Media", "Extra"]
    assert set(after["responses"]) == {*before["responses"], "404"}
    assert after["responses"]["200"] == before["responses"]["200"]
    assert after["parameters"] == before["parameters"]
    assert after["operationId"] == "get-media-by-id"
    assert (merged["info"]["title"], merged["info"]["version"]) == ("Messaging API", "9.9.9")


def test_update_applies_to_every_match(merged: dict[str, Any]) -> None:
    overlay = {"actions": [{"target": "$.paths.*.*", "update": {"x-checked": True}}]}

    apply_overlay(merged, overlay, "o.yaml")

    assert all(op["x-checked"] is True for op in _operations(merged).values())
    assert len(_operations(merged)) == 3


def test_update_does_not_share_state_between_matches(merged: dict[str, Any]) -> None:
    overlay = {"actions": [{"target": "$.paths.*.*", "update": {"x-list": [1]}}]}

    apply_overlay(merged, overlay, "o.yaml")
    merged["paths"]["/{media_id}"]["get"]["x-list"].append(2)

    assert merged["paths"]["/{media_id}"]["delete"]["x-list"] == [1]


def test_deep_merge_rules() -> None:
    target = {"a": {"b": 1, "c": [1]}, "d": "x"}

    result = deep_merge(target, {"a": {"c": [2], "e": 3}, "d": "y", "f": None}, "w")

    assert result == {"a": {"b": 1, "c": [1, 2], "e": 3}, "d": "y", "f": None}
    assert deep_merge([1], 2, "w") == [1, 2]
    assert deep_merge("old", "new", "w") == "new"
    with pytest.raises(SpecBuildError, match="where"):
        deep_merge({"a": 1}, "scalar", "where")
    with pytest.raises(SpecBuildError, match="where"):
        deep_merge("scalar", {"a": 1}, "where")


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"target": "$.info"}, "update"),
        ({"update": {"x": 1}}, "target"),
        ({"target": "$.info[[[", "update": {}}, "bad JSONPath"),
        ({"target": "$.info", "remove": "yes"}, "update"),
    ],
)
def test_malformed_actions_name_the_overlay(
    tmp_path: Path, merged: dict[str, Any], action: dict[str, Any], message: str
) -> None:
    folder = tmp_path / "overlays"
    _write_overlay(folder, "70-bad.yaml", [action])

    with pytest.raises(SpecBuildError) as info:
        apply_overlays(merged, folder)

    assert "70-bad.yaml" in str(info.value)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "actions: [",
        "overlay: 1.0.0\nactions: []\n",
        "just: a map\n",
        "overlay: 2.0.0\nactions: [{}]\n",
    ],
)
def test_load_overlay_rejects_non_overlays(tmp_path: Path, text: str) -> None:
    path = tmp_path / "80-wrong.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(SpecBuildError, match=r"80-wrong\.yaml"):
        load_overlay(path)


def test_overlays_apply_in_file_name_order(tmp_path: Path, merged: dict[str, Any]) -> None:
    folder = tmp_path / "overlays"
    _write_overlay(folder, "20-second.yaml", [{"target": "$.info.x-order", "update": "second"}])
    _write_overlay(folder, "10-first.yaml", [{"target": "$.info", "update": {"x-order": "first"}}])
    (folder / "README.md").write_text("not an overlay")

    apply_overlays(merged, folder)

    assert merged["info"]["x-order"] == "second"


def test_an_overlay_that_breaks_the_spec_fails_validation(tmp_path: Path) -> None:
    overlays = tmp_path / "overlays"
    shutil.copytree(SPEC / "overlays", overlays)
    _write_overlay(
        overlays,
        "90-break.yaml",
        [{"target": "$.paths['/{media_id}'].get.parameters[0]", "update": {"in": "body"}}],
    )

    with pytest.raises(SpecBuildError, match="not valid OpenAPI"):
        build_spec(SPEC / "sources", overlays)


# --- what the real overlays produce -------------------------------------------------------


def test_built_spec_validates_and_matches_the_committed_file(built: dict[str, Any]) -> None:
    validate(built)
    assert render_spec(built) == (SPEC / "openapi.json").read_text(encoding="utf-8")


def test_attachments_query_parameters(built: dict[str, Any]) -> None:
    operation = built["paths"]["/whatsapp_business/attachments/"]["get"]

    params = {(p["in"], p["name"]): p for p in operation["parameters"]}

    assert set(params) == {
        ("query", "mid"),
        ("query", "ext"),
        ("query", "hash"),
        ("header", "Range"),
    }
    assert params["header", "Range"]["required"] is False
    for name in ("mid", "ext", "hash"):
        assert params["query", name]["required"] is True
        assert params["query", name]["schema"]["type"] == "string"
        assert isinstance(params["query", name]["example"], str)
    assert params["query", "mid"]["schema"]["pattern"] == "^[0-9]{1,64}$"


def test_attachments_range_answers_are_documented(built: dict[str, Any]) -> None:
    responses = built["paths"]["/whatsapp_business/attachments/"]["get"]["responses"]

    assert responses["206"]["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }
    assert "Content-Range" in responses["206"]["headers"]
    assert responses["416"]["content"] == ERROR_JSON


def test_attachments_200_is_binary_octet_stream(built: dict[str, Any]) -> None:
    responses = built["paths"]["/whatsapp_business/attachments/"]["get"]["responses"]

    assert responses["200"]["content"] == {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }
    for status in ("400", "401", "403", "404", "500"):
        assert responses[status]["content"] == ERROR_JSON


def test_upload_media_operation(built: dict[str, Any]) -> None:
    operation = built["paths"]["/media"]["post"]
    schemas = built["components"]["schemas"]

    assert operation["operationId"] == "upload-media"
    assert operation["requestBody"]["required"] is True
    content = operation["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    request = schemas[content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert request["type"] == "object"
    assert set(request["required"]) == {"messaging_product", "file", "type"}
    assert request["properties"]["file"] == {"type": "string", "format": "binary", "minLength": 1}
    assert request["properties"]["messaging_product"] == {"type": "string", "enum": ["whatsapp"]}
    assert request["properties"]["type"]["type"] == "string"

    ok = operation["responses"]["200"]["content"]
    assert list(ok) == ["application/json"]
    response = schemas[ok["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert response["properties"] == {"id": {"type": "string"}}
    assert response["required"] == ["id"]


@pytest.mark.parametrize("method", ["get", "delete"])
def test_media_id_operations_answer_404(built: dict[str, Any], method: str) -> None:
    response = built["paths"]["/{media_id}"][method]["responses"]["404"]

    assert response["content"] == ERROR_JSON


def test_every_operation_carries_security(built: dict[str, Any]) -> None:
    operations = _operations(built)

    assert set(operations) == {
        ("get", "/whatsapp_business/attachments/"),
        ("get", "/{media_id}"),
        ("delete", "/{media_id}"),
        ("post", "/media"),
        ("post", "/messages"),
    }
    for operation in operations.values():
        assert operation["security"] == [{"D360-API-KEY": []}]


def test_media_url_response_required_fields_and_example(built: dict[str, Any]) -> None:
    schema = built["components"]["schemas"]["media_id.GetMediaURLResponse"]

    assert set(schema["required"]) == {"file_size", "id", "mime_type", "sha256", "url"}
    example = schema["example"]
    assert example["url"].startswith(
        "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid="
    )
    assert len(example["sha256"]) == 64
    int(example["sha256"], 16)
    assert example["id"].isascii() and example["id"].isdigit()


def test_build_is_deterministic_in_process(built: dict[str, Any]) -> None:
    again = build_spec(SPEC / "sources", SPEC / "overlays")

    assert render_spec(again) == render_spec(built)
    assert json.loads(render_spec(built)) == built
    assert render_spec(built).endswith("}\n")
