"""`dialog360 media ...` happy paths, in a real subprocess against the loopback fake API."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from cli_helpers import PHOTO, CLIRunner
from dialog360.testing import FakeServer


def test_get_prints_the_metadata(cli: CLIRunner, photo_id: str) -> None:
    result = cli("media", "get", photo_id)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert f"media {photo_id}" in result.out
    assert "image/jpeg" in result.out
    assert hashlib.sha256(PHOTO).hexdigest() in result.out
    assert "/whatsapp_business/attachments/?mid=" in result.out


def test_get_json(cli: CLIRunner, photo_id: str) -> None:
    result = cli("media", "get", photo_id, "--json")
    assert result.code == 0, result.stderr
    info = json.loads(result.out)
    assert info["id"] == photo_id
    assert info["mime_type"] == "image/jpeg"
    assert info["file_size"] == len(PHOTO)
    assert info["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    assert "/whatsapp_business/attachments/" in info["url"]


def test_download_into_a_folder(
    cli: CLIRunner, fake: FakeServer, photo_id: str, tmp_path: Path
) -> None:
    fake.clear_requests()
    result = cli("media", "download", photo_id, "-o", str(tmp_path))
    # One metadata request: the download reuses what the CLI fetched for its output.
    assert [r.route for r in fake.requests] == ["get_media", "attachments"]
    assert result.code == 0, result.stderr
    target = tmp_path / f"{photo_id}.jpg"
    assert target.read_bytes() == PHOTO
    assert result.out.startswith(f"saved {target} ")
    assert "verified" in result.out
    assert result.stderr == ""
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left


def test_download_json_to_a_file_path(cli: CLIRunner, photo_id: str, tmp_path: Path) -> None:
    target = tmp_path / "cat.jpg"
    result = cli("media", "download", photo_id, "-o", str(target), "--json")
    assert result.code == 0, result.stderr
    assert json.loads(result.out) == {
        "path": str(target),
        "media_id": photo_id,
        "mime_type": "image/jpeg",
        "file_size": len(PHOTO),
        "sha256": hashlib.sha256(PHOTO).hexdigest(),
    }
    assert target.read_bytes() == PHOTO


def test_download_defaults_to_the_current_folder(
    cli: CLIRunner, photo_id: str, tmp_path: Path
) -> None:
    result = cli("media", "download", photo_id, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert (tmp_path / f"{photo_id}.jpg").read_bytes() == PHOTO


def test_existing_destination_needs_overwrite(
    cli: CLIRunner, photo_id: str, tmp_path: Path
) -> None:
    target = tmp_path / "taken.jpg"
    target.write_bytes(b"mine")
    line = cli("media", "download", photo_id, "-o", str(target)).one_error_line(1)
    assert "already exists" in line
    assert "--overwrite" in line
    assert target.read_bytes() == b"mine"

    result = cli("media", "download", photo_id, "-o", str(target), "--overwrite")
    assert result.code == 0, result.stderr
    assert target.read_bytes() == PHOTO


def test_read_writes_the_raw_bytes(cli: CLIRunner, photo_id: str) -> None:
    result = cli("media", "read", photo_id)
    assert result.code == 0, result.stderr
    assert result.stdout == PHOTO
    assert result.stderr == ""


def test_read_json_carries_base64(cli: CLIRunner, photo_id: str) -> None:
    result = cli("media", "read", photo_id, "--json")
    assert result.code == 0, result.stderr
    document = json.loads(result.out)
    assert base64.b64decode(document["data_base64"]) == PHOTO
    assert document["sha256"] == hashlib.sha256(PHOTO).hexdigest()


def test_delete(cli: CLIRunner, fake: FakeServer) -> None:
    media_id = fake.add_media(b"bye", "text/plain")
    result = cli("media", "delete", media_id)
    assert result.code == 0, result.stderr
    assert result.out.strip() == f"deleted media {media_id}"
    assert media_id not in fake.media

    line = cli("media", "get", media_id).one_error_line(1)
    assert "404" in line


def test_delete_json(cli: CLIRunner, fake: FakeServer) -> None:
    media_id = fake.add_media(b"bye", "text/plain")
    result = cli("media", "delete", media_id, "--json")
    assert result.code == 0, result.stderr
    assert json.loads(result.out) == {"media_id": media_id, "deleted": True}


def test_upload(cli: CLIRunner, fake: FakeServer, tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_bytes(b"hello from the CLI\n")
    result = cli("media", "upload", str(source))
    assert result.code == 0, result.stderr
    media_id = result.out.split()[-1]
    assert result.out.startswith("uploaded note.txt (text/plain")
    assert fake.media[media_id].read_bytes() == source.read_bytes()


def test_upload_json_with_a_mime_type(cli: CLIRunner, fake: FakeServer, tmp_path: Path) -> None:
    source = tmp_path / "voice.opus.bin"
    source.write_bytes(b"OggS" + bytes(500))
    result = cli("media", "upload", str(source), "--mime-type", "audio/ogg", "--json")
    assert result.code == 0, result.stderr
    document = json.loads(result.out)
    assert document["mime_type"] == "audio/ogg"
    assert document["size"] == 504
    stored = fake.media[document["id"]]
    assert stored.mime_type == "audio/ogg"
    assert stored.read_bytes() == source.read_bytes()


def test_options_work_after_the_command_too(
    cli: CLIRunner, photo_id: str, fake: FakeServer
) -> None:
    # The environment points nowhere; --base-url after the command wins.
    args = ("--max-retries", "0", "media", "get", photo_id, "--base-url", fake.base_url)
    result = cli(*args, base_url="http://127.0.0.1:9")
    assert result.code == 0, result.stderr


def test_api_key_file(cli: CLIRunner, photo_id: str, tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("cli-test-key-5b1e0c77d9\n")
    result = cli("media", "get", photo_id, "--api-key-file", str(key_file), key=None)
    assert result.code == 0, result.stderr
