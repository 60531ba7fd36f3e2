"""Many pages, many versions: merging pages published at different versions, the blocks the
generator cannot take, and overlays to retire once a page publishes what they supplied.

The fixture page `360dialog-messaging-api-media-uploads-1.38.1.md` is shaped like 360dialog's
Media Uploads page (one ```json block per operation, at 1.38.1 while the Media page is at
1.41.0), including its upload body: form-urlencoded `oneOf [{type: string}, {type: file}]`.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from spec_helpers import FIXTURES, SEED_NAME, SEED_PAGE, SPEC, copy_repo_state, run_generate
from specbuild.build import build_spec
from specbuild.errors import SpecBuildError
from specbuild.generator_limits import Finding, json_path, unsupported_constructs
from specbuild.merge import merge_sources
from specbuild.overlay import apply_overlay, apply_overlays
from specbuild.sources import extract_fragments, read_sources

UPLOADS_FIXTURE = FIXTURES / "360dialog-messaging-api-media-uploads-1.38.1.md"
UPLOADS_NAME = "360dialog-messaging-api-media-uploads.md"
UPLOAD_BLOCK = f"{UPLOADS_NAME} block 1 (line 9)"
FORM_BODY = "$.paths['/media'].post.requestBody.content['application/x-www-form-urlencoded']"


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A sources folder holding the Media page (1.41.0) and the Media Uploads page (1.38.1)."""
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(SEED_PAGE, folder / SEED_NAME)
    shutil.copy(UPLOADS_FIXTURE, folder / UPLOADS_NAME)
    return folder


def _write_overlay(folder: Path, name: str, actions: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    overlay = {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions}
    path = folder / name
    path.write_text(yaml.safe_dump(overlay, sort_keys=False), encoding="utf-8")
    return path


def _blocks(page: Path) -> list[dict[str, Any]]:
    return [fragment.document for fragment in extract_fragments(page)]


def _page(folder: Path, name: str, documents: list[dict[str, Any]]) -> None:
    text = "# Page\n" + "".join(f"\n## Op\n\n```json\n{json.dumps(d)}\n```\n" for d in documents)
    (folder / name).write_text(text, encoding="utf-8")


# --- merging pages of different versions ---------------------------------------------------


def test_the_fixture_is_shaped_like_the_published_page() -> None:
    blocks = _blocks(UPLOADS_FIXTURE)

    assert len(blocks) == 3
    assert {block["info"]["version"] for block in blocks} == {"1.38.1"}
    assert [len(block["paths"]) for block in blocks] == [1, 1, 1]
    seed = _blocks(SEED_PAGE)[0]
    for block in blocks:
        assert block["servers"] == seed["servers"]
        assert block["security"] == seed["security"]
        assert block["info"]["title"] == seed["info"]["title"]
    body = blocks[0]["paths"]["/media"]["post"]["requestBody"]["content"]
    assert body == {
        "application/x-www-form-urlencoded": {
            "schema": {"oneOf": [{"type": "string"}, {"type": "file"}]}
        }
    }


def test_pages_at_different_versions_merge_and_record_each_version(sources: Path) -> None:
    merged = merge_sources(read_sources(sources))
    document = merged.document

    assert document["info"]["version"] == "1.41.0"
    assert document["info"]["x-source-versions"] == {SEED_NAME: "1.41.0", UPLOADS_NAME: "1.38.1"}
    assert document["info"]["title"] == "Messaging API"
    assert sorted(document["paths"]) == [
        "/media",
        "/upload:{session_id}",
        "/uploads",
        "/whatsapp_business/attachments/",
        "/{media_id}",
    ]
    assert [tag["name"] for tag in document["tags"]] == ["Media", "Media Uploads"]
    assert merged.origins[("paths", "/media", "post")].where == UPLOAD_BLOCK
    assert merged.origins[("paths", "/uploads", "post")].where == (
        f"{UPLOADS_NAME} block 2 (line 17)"
    )
    assert merged.origins[("paths", "/{media_id}", "delete")].where == (
        f"{SEED_NAME} block 3 (line 25)"
    )


def test_the_highest_version_is_compared_numerically(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    seed = _blocks(SEED_PAGE)
    for name, version, index in [("a.md", "1.9.0", 0), ("b.md", "1.10", 1), ("c.md", "1.2.7", 2)]:
        block = copy.deepcopy(seed[index])
        block["info"]["version"] = version
        _page(folder, name, [block])

    info = merge_sources(read_sources(folder)).document["info"]

    assert info["version"] == "1.10"
    assert info["x-source-versions"] == {"a.md": "1.9.0", "b.md": "1.10", "c.md": "1.2.7"}


@pytest.mark.parametrize("version", ["v1.41", "1.41.0-beta", "", "1..2"])
def test_a_version_that_is_not_dotted_numbers_names_the_page(tmp_path: Path, version: str) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    block = _blocks(SEED_PAGE)[0]
    block["info"]["version"] = version
    _page(folder, "odd.md", [block])

    with pytest.raises(SpecBuildError, match=r"odd\.md:\d+: info\.version"):
        merge_sources(read_sources(folder))


def _shared_error_schema(version: str, extra_field: str | None, page: str) -> dict[str, Any]:
    """A one-operation block of `page` at `version`; its utils.ErrorResp may have one more field."""
    block = copy.deepcopy(_blocks(SEED_PAGE)[1])
    block["info"]["version"] = version
    operation = block["paths"].pop("/{media_id}")["get"]
    operation["operationId"] = f"get-preview-{page}"
    block["paths"][f"/{{media_id}}/preview-{page}"] = {"get": operation}
    if extra_field:
        properties = block["components"]["schemas"]["utils.ErrorResp"]["properties"]
        properties[extra_field] = {"type": "integer"}
    return block


@pytest.mark.parametrize("reverse", [False, True])
def test_a_shared_component_comes_from_the_newest_page(tmp_path: Path, reverse: bool) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    names = ["a-new.md", "b-old.md", "c-old.md"]
    if reverse:
        names.reverse()
    _page(folder, names[0], [_shared_error_schema("1.44.0", "code", names[0])])
    _page(folder, names[1], [_shared_error_schema("1.41.0", None, names[1])])
    _page(folder, names[2], [_shared_error_schema("1.38.1", "older", names[2])])

    merged = merge_sources(read_sources(folder))

    schema = merged.document["components"]["schemas"]["utils.ErrorResp"]
    assert set(schema["properties"]) == {"error", "code"}
    assert merged.origins[("components", "schemas", "utils.ErrorResp")].page == names[0]


def test_a_shared_component_that_differs_at_the_same_version_names_both_pages(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    _page(folder, "a.md", [_shared_error_schema("1.44.0", "code", "a.md")])
    _page(folder, "b.md", [_shared_error_schema("1.44.0", None, "b.md")])
    _page(folder, "c.md", [_shared_error_schema("1.41.0", "older", "c.md")])

    with pytest.raises(
        SpecBuildError, match=r"utils\.ErrorResp differs between a\.md:\d+ and b\.md"
    ):
        merge_sources(read_sources(folder))


def test_an_operation_on_two_pages_comes_from_the_newer_one(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    stale = copy.deepcopy(_blocks(SEED_PAGE)[2])
    stale["info"]["version"] = "1.38.1"
    stale["paths"]["/{media_id}"]["delete"]["summary"] = "stale copy"
    _page(folder, "a-stale.md", [stale])
    shutil.copy(SEED_PAGE, folder / SEED_NAME)

    merged = merge_sources(read_sources(folder))

    delete = merged.document["paths"]["/{media_id}"]["delete"]
    assert delete["summary"] == "Delete Media by ID"
    assert merged.origins[("paths", "/{media_id}", "delete")].page == SEED_NAME


@pytest.mark.parametrize(
    ("key", "change"),
    [
        ("info", lambda d: d["info"].update(title="Partner API")),
        ("servers", lambda d: d["servers"][0].update(url="https://waba-sandbox.360dialog.io")),
        ("security", lambda d: d.update(security=[{"Bearer": []}])),
        ("openapi", lambda d: d.update(openapi="3.0.3")),
    ],
)
def test_title_servers_and_security_still_must_agree_across_versions(
    sources: Path, key: str, change: Callable[[dict[str, Any]], Any]
) -> None:
    blocks = _blocks(UPLOADS_FIXTURE)
    for block in blocks:
        change(block)
    _page(sources, UPLOADS_NAME, blocks)

    with pytest.raises(SpecBuildError) as info:
        merge_sources(read_sources(sources))

    message = str(info.value)
    assert f"'{key}' differs between {UPLOADS_NAME}:" in message
    assert f"and {SEED_NAME}:9" in message


# --- blocks the generator cannot take ------------------------------------------------------


def test_the_published_upload_block_is_rejected_naming_page_block_and_path(
    sources: Path, tmp_path: Path
) -> None:
    with pytest.raises(SpecBuildError) as info:
        build_spec(sources, tmp_path / "no-overlays")

    lines = str(info.value).splitlines()
    assert "overlay" in lines[0]
    assert lines[1:] == [
        f"  {UPLOAD_BLOCK}: {FORM_BODY}.schema.oneOf[1].type: type 'file' is not an OpenAPI 3 "
        "type (an upload is `type: string, format: binary` in a multipart/form-data body)",
        f"  {UPLOAD_BLOCK}: {FORM_BODY}.schema: a application/x-www-form-urlencoded body must be "
        "an object schema (the generator sends form fields from a model; anything else is "
        "dropped or breaks the generated call)",
    ]


def _upload_fix(folder: Path) -> None:
    """An overlay that turns the published upload body into the multipart form the API takes."""
    _write_overlay(
        folder,
        "10-upload-body.yaml",
        [
            {"target": f"{FORM_BODY}", "remove": True},
            {
                "target": "$.components.schemas",
                "update": {
                    "media.UploadMediaRequest": {
                        "type": "object",
                        "required": ["messaging_product", "file", "type"],
                        "properties": {
                            "messaging_product": {"type": "string", "enum": ["whatsapp"]},
                            "file": {"type": "string", "format": "binary"},
                            "type": {"type": "string"},
                        },
                    }
                },
            },
            {
                "target": "$.paths['/media'].post.requestBody",
                "update": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {"$ref": "#/components/schemas/media.UploadMediaRequest"}
                        }
                    },
                },
            },
        ],
    )


def test_an_overlay_that_fixes_the_block_lets_the_build_through(
    sources: Path, tmp_path: Path
) -> None:
    _upload_fix(tmp_path / "overlays")

    document = build_spec(sources, tmp_path / "overlays")

    body = document["paths"]["/media"]["post"]["requestBody"]
    assert list(body["content"]) == ["multipart/form-data"]
    assert unsupported_constructs(document) == []


def test_a_construct_an_overlay_introduces_is_named_as_such(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(SEED_PAGE, folder / SEED_NAME)
    _write_overlay(
        tmp_path / "overlays",
        "10-bad.yaml",
        [
            {
                "target": "$.paths['/{media_id}'].get.responses['200']",
                "update": {"content": {"*/*": {"schema": {"type": "string"}}}},
            }
        ],
    )

    with pytest.raises(SpecBuildError) as info:
        build_spec(folder, tmp_path / "overlays")

    assert str(info.value).splitlines()[1:] == [
        "  added by an overlay: $.paths['/{media_id}'].get.responses['200'].content['*/*']: "
        "openapi-python-client cannot read a */* answer (use application/octet-stream for bytes)"
    ]


def _document(**operation: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": {"/x": {"post": operation}}}


def test_generator_limits_rules() -> None:
    def problems(document: dict[str, Any]) -> list[str]:
        return [
            f"{f.json_path}: {f.problem.split(' (')[0]}" for f in unsupported_constructs(document)
        ]

    form = {"type": "object", "properties": {"type": {"type": "string"}}}
    assert problems(
        _document(
            requestBody={
                "content": {
                    "application/xml": {"schema": form},
                    "application/merge-patch+json": {"schema": form},
                    "multipart/form-data; charset=utf-8": {"schema": {"type": "string"}},
                    "application/x-www-form-urlencoded": {"schema": form},
                }
            },
            responses={
                "200": {"content": {"text/csv": {}, "image/png": {}}},
                "400": {"content": {"application/problem+json": {}}},
            },
        )
    ) == [
        "$.paths['/x'].post.requestBody.content['application/xml']: "
        "openapi-python-client cannot send a application/xml body",
        "$.paths['/x'].post.requestBody.content['multipart/form-data; charset=utf-8'].schema: "
        "a multipart/form-data body must be an object schema",
        "$.paths['/x'].post.responses['200'].content['image/png']: "
        "openapi-python-client cannot read a image/png answer",
    ]
    # A property named `type`, examples and extensions are data, not schema keywords.
    assert problems(
        {
            "components": {
                "schemas": {
                    "A": {
                        "type": "object",
                        "properties": {"type": {"type": "string"}, "file": {"type": ["file"]}},
                        "example": {"schema": {"type": "file"}},
                        "x-note": {"schema": {"type": "file"}},
                    },
                    "B": {"type": ["string", "null"], "items": {"allOf": [{"type": "blob"}]}},
                },
                "parameters": {"p": {"schema": {"type": "file"}, "examples": {"e": {"value": 1}}}},
            }
        }
    ) == [
        "$.components.schemas.A.properties.file.type: type 'file' is not an OpenAPI 3 type",
        "$.components.schemas.B.items.allOf[0].type: type 'blob' is not an OpenAPI 3 type",
        "$.components.parameters.p.schema.type: type 'file' is not an OpenAPI 3 type",
    ]


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#/components/schemas/Form"},
        {"$ref": "#/components/schemas/Via"},
        {"type": "object"},
        {"properties": {"a": {"type": "string"}}},
        {"allOf": [{"$ref": "#/components/schemas/Form"}]},
    ],
)
def test_form_bodies_that_are_objects_pass(schema: dict[str, Any]) -> None:
    document = _document(
        requestBody={"content": {"multipart/form-data": {"schema": schema}}}, responses={}
    )
    document["components"] = {
        "schemas": {"Form": {"type": "object"}, "Via": {"$ref": "#/components/schemas/Form"}}
    }

    assert unsupported_constructs(document) == []


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#/components/schemas/Text"},
        {"$ref": "#/components/schemas/Loop"},
        {"$ref": "#/components/schemas/Missing"},
        {"$ref": "other.json#/Form"},
        {"type": "array", "items": {"type": "object"}},
        None,
    ],
)
def test_form_bodies_that_are_not_objects_are_found(schema: dict[str, Any] | None) -> None:
    media = {} if schema is None else {"schema": schema}
    document = _document(
        requestBody={"content": {"application/x-www-form-urlencoded": media}}, responses={}
    )
    document["components"] = {
        "schemas": {"Text": {"type": "string"}, "Loop": {"$ref": "#/components/schemas/Loop"}}
    }

    (finding,) = unsupported_constructs(document)

    assert finding.json_path.endswith("['application/x-www-form-urlencoded'].schema")


def test_json_path_quotes_what_is_not_a_plain_name() -> None:
    assert json_path(("paths", "/a'b", "get", "responses", "200", "x", 3)) == (
        "$.paths['/a\\'b'].get.responses['200'].x[3]"
    )
    assert Finding(("info",), "p").json_path == "$.info"


# --- overlays to retire -------------------------------------------------------------------


def _merged_with_uploads(sources: Path) -> tuple[dict[str, Any], dict[Any, str]]:
    merged = merge_sources(read_sources(sources))
    return merged.document, {a: f.where for a, f in merged.origins.items()}


POST_MEDIA = {"operationId": "upload-media", "responses": {"200": {"description": "ok"}}}


@pytest.mark.parametrize(
    ("target", "update"),
    [
        ("$.paths", {"/media": {"post": POST_MEDIA}}),
        ("$.paths['/media']", {"post": POST_MEDIA}),
        ("$", {"paths": {"/media": {"post": POST_MEDIA}}}),
    ],
)
def test_an_overlay_adding_an_operation_a_page_now_defines_must_be_retired(
    sources: Path, target: str, update: dict[str, Any]
) -> None:
    document, defined_by = _merged_with_uploads(sources)
    overlay = {
        "actions": [
            {"target": "$.info", "update": {"x-a": 1}},
            {"target": target, "update": update},
        ]
    }

    with pytest.raises(SpecBuildError) as info:
        apply_overlay(document, overlay, "25-add-upload.yaml", defined_by)

    assert str(info.value) == (
        f"25-add-upload.yaml action 2 ({target}): adds POST /media, which {UPLOAD_BLOCK} "
        "already defines: retire this action from 25-add-upload.yaml (a correction to the "
        "existing definition targets it directly)"
    )


def test_an_overlay_adding_a_component_a_page_now_defines_must_be_retired(
    sources: Path,
) -> None:
    document, defined_by = _merged_with_uploads(sources)
    overlay = {
        "actions": [
            {
                "target": "$.components.schemas",
                "update": {"uploads.CreateSessionResponse": {"type": "object"}},
            }
        ]
    }

    with pytest.raises(SpecBuildError, match=r"retire this action from o\.yaml") as info:
        apply_overlay(document, overlay, "o.yaml", defined_by)

    assert "adds component schemas/uploads.CreateSessionResponse" in str(info.value)
    assert f"{UPLOADS_NAME} block 2 (line 17)" in str(info.value)


def test_a_second_overlay_adding_the_same_operation_names_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(SEED_PAGE, folder / SEED_NAME)
    merged = merge_sources(read_sources(folder))
    overlays = tmp_path / "overlays"
    for name in ("10-first.yaml", "20-second.yaml"):
        _write_overlay(
            overlays, name, [{"target": "$.paths", "update": {"/x": {"get": POST_MEDIA}}}]
        )

    with pytest.raises(SpecBuildError) as info:
        apply_overlays(merged.document, overlays)

    assert "20-second.yaml action 1 ($.paths): adds GET /x, which 10-first.yaml action 1" in str(
        info.value
    )


def test_adding_new_operations_and_correcting_defined_ones_is_fine(sources: Path) -> None:
    document, defined_by = _merged_with_uploads(sources)
    overlay = {
        "actions": [
            {"target": "$.paths['/{media_id}']", "update": {"put": POST_MEDIA}},
            {"target": "$.paths", "update": {"/messages": {"post": POST_MEDIA}}},
            {"target": "$.paths['/media'].post", "update": {"summary": "corrected"}},
            {"target": "$.paths.*.*", "update": {"x-checked": True}},
            {"target": "$.components.schemas['utils.ErrorResp']", "update": {"example": {}}},
        ]
    }

    apply_overlay(document, overlay, "o.yaml", defined_by)

    assert document["paths"]["/{media_id}"]["put"]["x-checked"] is True
    assert document["paths"]["/media"]["post"]["summary"] == "corrected"
    assert defined_by[("paths", "/messages", "post")] == "o.yaml action 2"


def test_the_real_upload_overlay_must_be_retired_once_the_uploads_page_is_a_source(
    tmp_path: Path,
) -> None:
    spec_dir, generated = copy_repo_state(tmp_path)
    shutil.copy(UPLOADS_FIXTURE, spec_dir / "sources" / UPLOADS_NAME)

    result = run_generate("--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 2, result.stdout + result.stderr
    assert "20-upload-media.yaml action 1" in result.stderr
    assert f"adds component schemas/media.UploadMediaResponse, which {UPLOAD_BLOCK}" in (
        result.stderr
    )
    assert "retire this action from 20-upload-media.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_with_the_upload_overlay_retired_the_uploads_page_generates(tmp_path: Path) -> None:
    # What the repository looks like once the Media Uploads page is added: the overlay no
    # longer adds POST /media but corrects the page's body; the client is generated from both.
    spec_dir, generated = copy_repo_state(tmp_path)
    shutil.copy(UPLOADS_FIXTURE, spec_dir / "sources" / UPLOADS_NAME)
    (spec_dir / "overlays" / "20-upload-media.yaml").unlink()
    _upload_fix(spec_dir / "overlays")

    result = run_generate("--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert f"page added: {UPLOADS_NAME} at 1.38.1" in out
    assert "operation added: POST /uploads (create-upload-session)" in out
    assert "operation added: GET /upload:{session_id} (get-upload-session-status)" in out
    spec = json.loads((spec_dir / "openapi.json").read_text())
    assert spec["info"]["x-source-versions"] == {SEED_NAME: "1.41.0", UPLOADS_NAME: "1.38.1"}
    package = generated / "dialog360_api"
    upload = (package / "api" / "media_uploads" / "upload_media.py").read_text()
    assert '_kwargs["files"] = body.to_multipart()' in upload
    assert "boundary" not in upload
    assert (package / "api" / "media_uploads" / "create_upload_session.py").is_file()
    assert (SPEC / "openapi.json").read_text() != (spec_dir / "openapi.json").read_text()


def test_three_pages_at_three_versions_and_the_messages_overlay_to_retire(tmp_path: Path) -> None:
    # The Messages page (1.44.0) publishes POST /messages, which 25-send-message.yaml supplies
    # today: the build names that overlay's action, not a silent merge of the two definitions.
    spec_dir, generated = copy_repo_state(tmp_path)
    messages_page = FIXTURES / "360dialog-messaging-api-messages-1.44.0.md"
    shutil.copy(messages_page, spec_dir / "sources" / "360dialog-messaging-api-messages.md")
    merged = merge_sources(read_sources(spec_dir / "sources"))
    assert merged.document["info"]["version"] == "1.44.0"
    assert merged.document["info"]["x-source-versions"] == {
        SEED_NAME: "1.41.0",
        "360dialog-messaging-api-messages.md": "1.44.0",
    }

    result = run_generate("--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        "25-send-message.yaml action 3 ($.paths): adds POST /messages, which "
        "360dialog-messaging-api-messages.md block 1 (line 9) already defines: retire this "
        "action from 25-send-message.yaml"
    ) in result.stderr
