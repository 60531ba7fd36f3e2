"""scripts/generate.py end to end: byte-stable builds, --check, and a version bump."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from spec_helpers import (
    BUMPED_PAGE,
    GENERATED,
    SEED_NAME,
    SEED_PAGE,
    SPEC,
    copy_repo_state,
    json_blocks,
    run_generate,
    run_generate_command,
    tree_bytes,
)
from specbuild.codegen import generate_package
from specbuild.errors import SpecBuildError

PACKAGE = "dialog360_api"


@dataclass
class Build:
    spec_dir: Path
    generated: Path
    result: subprocess.CompletedProcess[str]


def _build(root: Path, page: Path | None = None) -> Build:
    spec_dir, generated = copy_repo_state(root)
    if page is not None:
        (spec_dir / "sources" / SEED_NAME).unlink()
        shutil.copy(page, spec_dir / "sources" / SEED_NAME)
    result = run_generate("--spec-dir", spec_dir, "--generated", generated)
    return Build(spec_dir, generated, result)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Build]:
    """Two independent builds of the committed state, each into fresh copies."""
    return _build(tmp_path_factory.mktemp("first")), _build(tmp_path_factory.mktemp("second"))


@pytest.fixture(scope="module")
def bumped(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A build with the seed page replaced by the 1.42.0 fixture page."""
    return _build(tmp_path_factory.mktemp("bumped"), BUMPED_PAGE)


# --- determinism and --check ---------------------------------------------------------------


def test_two_builds_are_byte_identical(two_builds: tuple[Build, Build]) -> None:
    first, second = two_builds
    for build in two_builds:
        assert build.result.returncode == 0, build.result.stderr

    assert (first.spec_dir / "openapi.json").read_bytes() == (
        second.spec_dir / "openapi.json"
    ).read_bytes()
    first_tree = tree_bytes(first.generated / PACKAGE)
    assert first_tree == tree_bytes(second.generated / PACKAGE)
    assert "api/media/get_media_by_id.py" in first_tree
    assert "py.typed" in first_tree
    assert not [p for p in (first.generated / PACKAGE).rglob("__pycache__")]


def test_build_of_committed_state_reproduces_it(two_builds: tuple[Build, Build]) -> None:
    build = two_builds[0]

    assert (build.spec_dir / "openapi.json").read_bytes() == (SPEC / "openapi.json").read_bytes()
    assert tree_bytes(build.generated / PACKAGE) == tree_bytes(GENERATED / PACKAGE)
    # Nothing else is left behind in the spec folder or next to the package.
    assert sorted(p.name for p in build.spec_dir.iterdir()) == sorted(
        p.name for p in SPEC.iterdir()
    )
    assert [p.name for p in build.generated.iterdir()] == [PACKAGE]


def test_build_without_changes_says_so(two_builds: tuple[Build, Build]) -> None:
    out = two_builds[0].result.stdout

    assert "API changes against the committed spec:" in out
    assert "no API changes" in out
    assert "->" not in out.split("wrote", 1)[0]


def test_check_reports_a_hand_edited_and_a_stray_generated_file(
    repo_copy: tuple[Path, Path],
) -> None:
    spec_dir, generated = repo_copy
    edited = generated / PACKAGE / "models" / "error_resp.py"
    edited.write_text(edited.read_text() + "\n# hand edit\n")
    (generated / PACKAGE / "api" / "media" / "stray_module.py").write_text("x = 1\n")
    before = tree_bytes(generated)

    result = run_generate("--check", "--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "generated/dialog360_api/models/error_resp.py" in result.stdout
    assert "+# hand edit" not in result.stdout  # the diff goes from committed to built
    assert "-# hand edit" in result.stdout
    assert "only in committed: generated/dialog360_api/api/media/stray_module.py" in result.stdout
    assert "spec/openapi.json" not in result.stdout
    assert "OUT OF SYNC" in result.stderr
    assert tree_bytes(generated) == before  # --check never writes


def test_check_reports_a_stale_spec(repo_copy: tuple[Path, Path]) -> None:
    spec_dir, generated = repo_copy
    spec_path = spec_dir / "openapi.json"
    stale = json.loads(spec_path.read_text())
    del stale["paths"]["/media"]
    spec_path.write_text(json.dumps(stale, indent=2, sort_keys=True) + "\n")

    # The command itself, as CI runs it (`make test` runs `generate.py --check` on the
    # repository too, so an in-sync check of the repository is not repeated here).
    result = run_generate_command("--check", "--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "committed/spec/openapi.json" in result.stdout
    assert "built/spec/openapi.json" in result.stdout
    assert '+    "/media": {' in result.stdout
    assert "operation added: POST /media (upload-media)" in result.stdout
    assert json.loads(spec_path.read_text()) == stale


def test_build_error_exits_2_and_names_the_file(repo_copy: tuple[Path, Path]) -> None:
    spec_dir, generated = repo_copy
    (spec_dir / "overlays" / "99-obsolete.yaml").write_text(
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\n"
        "actions:\n  - target: $.paths['/gone'].get\n    remove: true\n"
    )
    before = tree_bytes(spec_dir), tree_bytes(generated)

    result = run_generate("--spec-dir", spec_dir, "--generated", generated)

    assert result.returncode == 2
    assert "99-obsolete.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tree_bytes(spec_dir), tree_bytes(generated)) == before


def test_a_generator_warning_fails_the_build_with_its_text(tmp_path: Path) -> None:
    """What the pipeline's own checks let through, the generator may still refuse: its warnings
    (an answer it would silently drop, here) stop the build, and nothing is written."""
    dangling = {"$ref": "#/components/schemas/Missing"}
    answer = {"description": "ok", "content": {"application/json": {"schema": dangling}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": answer}}}},
    }
    spec_path = tmp_path / "openapi.json"
    spec_path.write_text(json.dumps(spec))

    with pytest.raises(SpecBuildError) as info:
        generate_package(spec_path, tmp_path / "out")

    message = str(info.value)
    assert message.startswith("openapi-python-client failed:\nWARNING: ")
    assert "GET /x" in message and "Could not find reference" in message
    assert '"$ref": "#/components/schemas/Missing"' in message
    assert not (tmp_path / "out").exists()


# --- version bump --------------------------------------------------------------------------


def test_bumped_fixture_is_the_seed_page_plus_the_bump() -> None:
    seed = json_blocks(SEED_PAGE.read_text())
    bumped = json_blocks(BUMPED_PAGE.read_text())

    assert len(bumped) == len(seed) + 1
    assert {b["info"]["version"] for b in bumped} == {"1.42.0"}
    for old, new in zip(seed, bumped, strict=False):
        new = json.loads(json.dumps(new))
        new["info"]["version"] = "1.41.0"
        schema = new["components"]["schemas"].get("media_id.GetMediaURLResponse")
        if schema:
            assert schema["properties"].pop("created_at") == {"type": "string"}
        assert new == old
    assert list(bumped[-1]["paths"]) == ["/{media_id}/thumbnail"]


def test_bump_changelog(bumped: Build) -> None:
    assert bumped.result.returncode == 0, bumped.result.stderr
    out = bumped.result.stdout

    assert "API version: 1.41.0 -> 1.42.0" in out
    assert f"page {SEED_NAME}: 1.41.0 -> 1.42.0" in out
    assert "operation added: GET /{media_id}/thumbnail (get-media-thumbnail)" in out
    assert "schema media_id.GetMediaURLResponse: field added: created_at (string)" in out
    assert "no API changes" not in out
    assert "removed" not in out


def test_bump_regenerates_spec_and_package(bumped: Build) -> None:
    spec = json.loads((bumped.spec_dir / "openapi.json").read_text())
    package = bumped.generated / PACKAGE

    assert spec["info"]["version"] == "1.42.0"
    assert spec["paths"]["/{media_id}/thumbnail"]["get"]["security"] == [{"D360-API-KEY": []}]
    thumbnail = package / "api" / "media" / "get_media_thumbnail.py"
    assert thumbnail.is_file()
    source = thumbnail.read_text()
    assert '"url": "/{media_id}/thumbnail".format(' in source
    assert "from ...models.media_url_response import MediaUrlResponse" in source
    model = (package / "models" / "media_url_response.py").read_text()
    assert "created_at: str | Unset = UNSET" in model
    # Everything that was there before is still generated.
    assert set(tree_bytes(GENERATED / PACKAGE)) <= set(tree_bytes(package))


def test_bumped_package_imports_and_parses_the_new_field(bumped: Build) -> None:
    code = (
        "from dialog360_api.api.media import get_media_thumbnail\n"
        "from dialog360_api.models import MediaUrlResponse\n"
        "m = MediaUrlResponse.from_dict({'url': 'u', 'mime_type': 'image/png', 'sha256': 'a',"
        " 'file_size': 1, 'id': '1', 'created_at': '2025-01-01T00:00:00Z'})\n"
        "print(m.created_at, get_media_thumbnail.sync_detailed.__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=bumped.generated,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2025-01-01T00:00:00Z", "sync_detailed"]
