"""`dialog360 media ...` happy paths, in this process against the loopback fake API."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from cli_helpers import KEY, PHOTO, RunCLI
from dialog360.testing import FakeServer

PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()


def test_get_prints_the_metadata_and_the_size_once(run_cli: RunCLI, photo_id: str) -> None:
    ran = run_cli("media", "get", photo_id)
    assert ran.code == 0, ran.err
    assert ran.err == ""
    lines = ran.out.splitlines()
    assert lines[0] == f"media {photo_id}"
    assert "  type    image/jpeg" in lines
    assert "  size    300.0 kB" in lines
    assert str(len(PHOTO)) not in ran.out  # the size once, not again in bytes
    assert f"  sha256  {PHOTO_SHA}" in lines
    assert "/whatsapp_business/attachments/?mid=" in ran.out


def test_get_json(run_cli: RunCLI, photo_id: str) -> None:
    info = run_cli("media", "get", photo_id, "--json").json()
    assert info["id"] == photo_id
    assert info["mime_type"] == "image/jpeg"
    assert info["file_size"] == len(PHOTO)
    assert info["sha256"] == PHOTO_SHA
    assert "/whatsapp_business/attachments/" in info["url"]


def test_download_into_a_folder(
    run_cli: RunCLI, fake: FakeServer, photo_id: str, tmp_path: Path
) -> None:
    fake.clear_requests()
    ran = run_cli("media", "download", photo_id, "-o", str(tmp_path))
    assert ran.code == 0, ran.err
    # One metadata request: the download reuses what the CLI fetched for its output.
    assert [r.route for r in fake.requests] == ["get_media", "attachments"]
    target = tmp_path / f"{photo_id}.jpg"
    assert target.read_bytes() == PHOTO
    assert ran.out == f"saved {target} (300.0 kB, image/jpeg, sha256 {PHOTO_SHA[:12]}… verified)\n"
    assert ran.err == ""
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left


def test_download_json_to_a_file_path(run_cli: RunCLI, photo_id: str, tmp_path: Path) -> None:
    target = tmp_path / "cat.jpg"
    assert run_cli("media", "download", photo_id, "-o", str(target), "--json").json() == {
        "id": photo_id,
        "path": str(target),
        "mime_type": "image/jpeg",
        "file_size": len(PHOTO),
        "sha256": PHOTO_SHA,
    }
    assert target.read_bytes() == PHOTO


def test_download_defaults_to_the_current_folder(
    run_cli: RunCLI, photo_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ran = run_cli("media", "download", photo_id)
    assert ran.code == 0, ran.err
    assert (tmp_path / f"{photo_id}.jpg").read_bytes() == PHOTO


def test_an_existing_destination_is_replaced_with_overwrite(
    run_cli: RunCLI, photo_id: str, tmp_path: Path
) -> None:
    target = tmp_path / "taken.jpg"
    target.write_bytes(b"mine")
    line = run_cli("media", "download", photo_id, "-o", str(target)).one_error_line(1)
    assert line == f"error: {target} already exists (pass --overwrite to replace it)"
    assert target.read_bytes() == b"mine"

    ran = run_cli("media", "download", photo_id, "-o", str(target), "--overwrite")
    assert ran.code == 0, ran.err
    assert target.read_bytes() == PHOTO


def test_read_writes_the_raw_bytes(run_cli: RunCLI, photo_id: str) -> None:
    ran = run_cli("media", "read", photo_id)
    assert ran.code == 0, ran.err
    assert ran.stdout == PHOTO
    assert ran.err == ""


def test_read_json_carries_base64(run_cli: RunCLI, photo_id: str) -> None:
    document = run_cli("media", "read", photo_id, "--json").json()
    assert base64.b64decode(document.pop("data_base64")) == PHOTO
    assert document == {
        "id": photo_id,
        "mime_type": "image/jpeg",
        "file_size": len(PHOTO),
        "sha256": PHOTO_SHA,
    }


def test_delete(run_cli: RunCLI, fake: FakeServer) -> None:
    media_id = fake.add_media(b"bye", "text/plain")
    ran = run_cli("media", "delete", media_id)
    assert ran.code == 0, ran.err
    assert ran.out == f"deleted media {media_id}\n"
    assert media_id not in fake.media
    assert "404" in run_cli("media", "get", media_id).one_error_line(1)


def test_delete_json(run_cli: RunCLI, fake: FakeServer) -> None:
    media_id = fake.add_media(b"bye", "text/plain")
    assert run_cli("media", "delete", media_id, "--json").json() == {
        "id": media_id,
        "deleted": True,
    }


def test_upload_guesses_the_type_from_the_name(
    run_cli: RunCLI, fake: FakeServer, tmp_path: Path
) -> None:
    source = tmp_path / "note.txt"
    source.write_bytes(b"hello from the CLI\n")
    ran = run_cli("media", "upload", str(source))
    assert ran.code == 0, ran.err
    media_id = ran.out.split()[-1]
    assert ran.out == f"uploaded note.txt (text/plain, 19 bytes) as media {media_id}\n"
    assert fake.media[media_id].mime_type == "text/plain"
    assert fake.media[media_id].read_bytes() == source.read_bytes()


def test_upload_json_with_a_mime_type_as_sent(
    run_cli: RunCLI, fake: FakeServer, tmp_path: Path
) -> None:
    source = tmp_path / "voice.opus.bin"
    source.write_bytes(b"OggS" + bytes(500))
    document = run_cli(
        "media", "upload", str(source), "--mime-type", "Audio/OGG; codecs=opus", "--json"
    ).json()
    media_id = document["id"]
    # The type shown is the one the library sent, normalised, not the text given.
    assert document == {
        "id": media_id,
        "path": str(source),
        "mime_type": "audio/ogg",
        "file_size": 504,
    }
    stored = fake.media[media_id]
    assert stored.mime_type == "audio/ogg"
    assert stored.read_bytes() == source.read_bytes()


def test_every_command_speaks_one_json_vocabulary(
    run_cli: RunCLI, fake: FakeServer, photo_id: str, tmp_path: Path
) -> None:
    source = tmp_path / "a.jpg"
    source.write_bytes(PHOTO)
    documents = {
        "get": run_cli("media", "get", photo_id, "--json").json(),
        "download": run_cli("media", "download", photo_id, "-o", f"{tmp_path}/", "--json").json(),
        "read": run_cli("media", "read", photo_id, "--json").json(),
        "upload": run_cli("media", "upload", str(source), "--json").json(),
        "delete": run_cli("media", "delete", fake.add_media(b"x", "text/plain"), "--json").json(),
    }
    for name, document in documents.items():
        assert isinstance(document["id"], str) and document["id"].isdigit(), name
        # Synonyms the commands once used for the same things.
        assert not {"media_id", "size", "file", "type", "hash"} & document.keys(), name
    for key in ("mime_type", "file_size"):
        assert {name for name, doc in documents.items() if key in doc} == {
            "get",
            "download",
            "read",
            "upload",
        }
    assert documents["upload"]["file_size"] == documents["get"]["file_size"] == len(PHOTO)
    assert {name for name, doc in documents.items() if "path" in doc} == {"download", "upload"}
    assert {name for name, doc in documents.items() if "sha256" in doc} == {
        "get",
        "download",
        "read",
    }


def test_options_work_after_the_command_too(
    run_cli: RunCLI, photo_id: str, fake: FakeServer
) -> None:
    # The environment points nowhere; --base-url after the command wins.
    args = ("--max-retries", "0", "media", "get", photo_id, "--base-url", fake.base_url)
    ran = run_cli(*args, base_url="http://127.0.0.1:9")
    assert ran.code == 0, ran.err


def test_an_api_key_file_wins_over_the_environment(
    run_cli: RunCLI, photo_id: str, tmp_path: Path
) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(KEY + "\n")
    ran = run_cli("media", "get", photo_id, "--api-key-file", str(key_file), key="wrong-key-0000")
    assert ran.code == 0, ran.err
    key_file.write_text("wrong-key-0000\n")
    ran = run_cli("media", "get", photo_id, "--api-key-file", str(key_file))
    assert "401" in ran.one_error_line(1)
