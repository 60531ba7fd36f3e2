"""The changelog: one readable line per change between two built specs."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from spec_helpers import SPEC
from specbuild.changelog import describe_changes


@pytest.fixture
def spec() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SPEC / "openapi.json").read_text(encoding="utf-8"))
    return document


def changed(spec: dict[str, Any], edit: Any) -> list[str]:
    new = copy.deepcopy(spec)
    edit(new)
    return describe_changes(spec, new)


def test_identical_specs_have_no_changes(spec: dict[str, Any]) -> None:
    assert describe_changes(spec, copy.deepcopy(spec)) == []


def test_first_build_is_summarised(spec: dict[str, Any]) -> None:
    assert describe_changes(None, spec) == [
        "new spec: API version 1.41.0, 5 operations"
        " (pages: 360dialog-messaging-api-media.md 1.41.0)"
    ]


def test_page_versions_added_removed_and_bumped(spec: dict[str, Any]) -> None:
    def edit(new: dict[str, Any]) -> None:
        new["info"]["version"] = "1.44.0"
        new["info"]["x-source-versions"] = {
            "360dialog-messaging-api-media.md": "1.42.0",
            "360dialog-messaging-api-messages.md": "1.44.0",
        }

    assert changed(spec, edit) == [
        "API version: 1.41.0 -> 1.44.0",
        "page added: 360dialog-messaging-api-messages.md at 1.44.0",
        "page 360dialog-messaging-api-media.md: 1.41.0 -> 1.42.0",
    ]
    assert changed(spec, lambda new: new["info"].pop("x-source-versions")) == [
        "page removed: 360dialog-messaging-api-media.md (was 1.41.0)"
    ]


def test_version_and_operations(spec: dict[str, Any]) -> None:
    def edit(new: dict[str, Any]) -> None:
        new["info"]["version"] = "1.42.0"
        del new["paths"]["/media"]
        new["paths"]["/{media_id}"]["put"] = {"operationId": "put-media", "responses": {}}

    assert changed(spec, edit) == [
        "API version: 1.41.0 -> 1.42.0",
        "operation added: PUT /{media_id} (put-media)",
        "operation removed: POST /media (upload-media)",
    ]


def test_parameters_and_responses(spec: dict[str, Any]) -> None:
    def edit(new: dict[str, Any]) -> None:
        operation = new["paths"]["/whatsapp_business/attachments/"]["get"]
        params = {p["name"]: p for p in operation["parameters"]}
        params["ext"]["schema"] = {"type": "integer"}
        params["hash"]["required"] = False
        params["mid"]["schema"]["pattern"] = "^[0-9]+$"
        operation["parameters"] = [p for p in operation["parameters"] if p["name"] != "Range"]
        operation["parameters"].append({"name": "v", "in": "query", "schema": {"type": "string"}})
        del operation["responses"]["416"]
        operation["responses"]["410"] = {"description": "Gone"}

    lines = changed(spec, edit)
    op = "GET /whatsapp_business/attachments/ (get-media-attachments)"
    assert f"{op}: parameter added: query v" in lines
    assert f"{op}: parameter removed: header Range" in lines
    assert f"{op}: parameter query ext retyped: string -> integer" in lines
    assert f"{op}: parameter query hash is now optional" in lines
    assert f"{op}: parameter query mid: pattern '^[0-9]{{1,64}}$' -> '^[0-9]+$'" in lines
    assert f"{op}: response 410 added" in lines
    assert f"{op}: response 416 removed" in lines


def test_schema_fields(spec: dict[str, Any]) -> None:
    def edit(new: dict[str, Any]) -> None:
        schemas = new["components"]["schemas"]
        media = schemas["media_id.GetMediaURLResponse"]
        media["properties"]["created_at"] = {"type": "string", "format": "date-time"}
        media["properties"]["file_size"] = {"type": "string"}
        del media["properties"]["messaging_product"]
        media["required"].remove("sha256")
        upload_type = schemas["media.UploadMediaRequest"]["properties"]["type"]
        upload_type["enum"] = [*upload_type["enum"], "image/gif"]
        upload_type["enum"].remove("image/webp")
        del schemas["utils.ErrorResp"]

    lines = changed(spec, edit)
    media = "schema media_id.GetMediaURLResponse"
    assert f"{media}: field added: created_at (string (date-time))" in lines
    assert f"{media}: field file_size retyped: integer -> string" in lines
    assert f"{media}: field removed: messaging_product" in lines
    assert f"{media}: field sha256 is now optional" in lines
    assert (
        "schema media.UploadMediaRequest: field type: enum values added ['image/gif'], "
        "removed ['image/webp']"
    ) in lines
    assert "schema removed: utils.ErrorResp" in lines


def test_webhooks_added_and_removed(spec: dict[str, Any]) -> None:
    def edit(new: dict[str, Any]) -> None:
        new["webhooks"]["statuses"] = {"post": {"operationId": "statuses-hook", "responses": {}}}
        del new["webhooks"]["messages"]

    assert changed(spec, edit) == [
        "webhook added: POST statuses (statuses-hook)",
        "webhook removed: POST messages (receive-messages-webhook)",
    ]
