"""`dialog360 messages send-text|send-media`: in-process against the loopback fake API (and a
hostile one), with one real subprocess on a pseudo-terminal for the upload progress bar."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import KEY, PHOTO, RunCLI, RunWithTerminal
from dialog360.testing import FakeServer, Fault

TO = "4915112345678"


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert "Traceback" not in err
    assert KEY not in err
    return lines[0]


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "photo.jpg"
    path.write_bytes(PHOTO)
    return path


# -- sending, against the fake API ----------------------------------------------------------


def test_send_text(run_cli: RunCLI, fake: FakeServer) -> None:
    before = len(fake.sent_messages)
    ran = run_cli("messages", "send-text", "+49 151 1234 5678", "Your order has shipped")
    assert ran.code == 0, ran.err
    assert ran.err == ""
    sent = fake.sent_messages[before:]
    assert len(sent) == 1
    assert sent[0].body["to"] == TO
    assert sent[0].body["text"] == {"body": "Your order has shipped", "preview_url": False}
    assert ran.out == f"sent text message {sent[0].message_id} to {TO}\n"


def test_send_text_json_with_preview_and_reply(run_cli: RunCLI, fake: FakeServer) -> None:
    first = json.loads(run_cli("messages", "send-text", TO, "first", "--json").out)
    first_id = first["messages"][0]["id"]
    ran = run_cli(
        "messages",
        "send-text",
        TO,
        "see https://example.com",
        "--preview-url",
        "--reply-to",
        first_id,
        "--json",
    )
    assert ran.code == 0, ran.err
    answer = json.loads(ran.out)
    assert answer["contacts"] == [{"input": TO, "wa_id": TO}]
    body = fake.sent_messages[-1].body
    assert body["text"]["preview_url"] is True
    assert body["context"] == {"message_id": first_id}
    assert answer["messages"][0]["id"] == fake.sent_messages[-1].message_id


def test_send_media_uploads_the_file_then_sends_it(
    run_cli: RunCLI, fake: FakeServer, photo: Path
) -> None:
    before = set(fake.media_ids())
    ran = run_cli("messages", "send-media", TO, "--file", str(photo), "--caption", "a cat")
    assert ran.code == 0, ran.err
    (uploaded,) = set(fake.media_ids()) - before
    assert fake.media[uploaded].data == PHOTO
    body = fake.sent_messages[-1].body
    assert body["type"] == "image"
    assert body["image"] == {"id": uploaded, "caption": "a cat"}
    assert ran.out.startswith("sent media message wamid.")
    assert ran.err == ""  # no bar when stderr is not a terminal


def test_send_media_by_id_and_by_link(run_cli: RunCLI, fake: FakeServer, photo_id: str) -> None:
    ran = run_cli("messages", "send-media", TO, "--media-id", photo_id, "--type", "image")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("sent image message wamid.")
    assert fake.sent_messages[-1].body["image"] == {"id": photo_id}
    link = "https://example.com/files/report.pdf"
    ran = run_cli("messages", "send-media", TO, "--link", link, "--filename", "Report.pdf")
    assert ran.code == 0, ran.err
    assert fake.sent_messages[-1].body["document"] == {"link": link, "filename": "Report.pdf"}


def test_an_api_refusal_is_one_line_exit_1(run_cli: RunCLI, fake: FakeServer) -> None:
    before = len(fake.sent_messages)
    ran = run_cli("messages", "send-media", TO, "--media-id", "999999999", "--type", "image")
    assert ran.code == 1
    line = _one_error_line(ran.err)
    assert "HTTP 400" in line
    assert len(fake.sent_messages) == before


def test_a_failed_send_after_the_upload_names_the_media_id(
    run_cli: RunCLI, fake: FakeServer, photo: Path
) -> None:
    before = set(fake.media_ids())
    fake.inject("send_message", Fault.status(500))
    ran = run_cli("messages", "send-media", TO, "--file", str(photo))
    assert ran.code == 1
    line = _one_error_line(ran.err)
    (uploaded,) = set(fake.media_ids()) - before
    assert f"photo.jpg was uploaded as media {uploaded}: send it again with --media-id" in line
    # ... which works, without a second upload.
    ran = run_cli("messages", "send-media", TO, "--media-id", uploaded, "--type", "image")
    assert ran.code == 0, ran.err
    assert set(fake.media_ids()) - before == {uploaded}


def test_progress_bar_on_a_terminal(
    run_cli: RunCLI, on_terminal: RunWithTerminal, fake: FakeServer, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(bytes(range(256)) * 8192)
    ran, drawn = on_terminal(run_cli, "messages", "send-media", TO, "--file", str(clip))
    assert ran.code == 0, drawn
    assert "clip.mp4" in drawn
    assert "100%" in drawn and "━" in drawn, drawn
    assert ran.out.startswith("sent media message wamid.")


# -- usage errors: exit 2, one line, nothing sent ---------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["send-text", "12345", "hi"], "recipient"),
        (["send-text", "+49 151 abc", "hi"], "recipient"),
        (["send-text", TO, ""], "empty"),
        (["send-text", TO, "x" * 4097], "4097 characters"),
        (["send-text", TO, "hi", "--reply-to", "not-an-id"], "reply_to"),
        (["send-media", TO, "--link", "http://example.com/a.jpg"], "https"),
        (["send-media", TO, "--media-id", "12"], "give its type"),
        (["send-media", TO, "--media-id", "1x", "--type", "image"], "media id"),
        (["send-media", TO, "--media-id", "1", "--type", "audio", "--caption", "c"], "caption"),
        (["send-media", TO, "--media-id", "1", "--type", "image", "--filename", "a"], "filename"),
        (["send-media", TO, "--media-id", "1", "--type", "gif"], "invalid choice"),
        (["send-media", TO], "one of the arguments --file --media-id --link is required"),
        (["send-media", TO, "--media-id", "1", "--link", "https://e.com/a.jpg"], "not allowed"),
        (["send-text", TO], "required"),
    ],
)
def test_usage_errors(run_cli: RunCLI, fake: FakeServer, argv: list[str], expected: str) -> None:
    before = len(fake.requests)
    ran = run_cli("messages", *argv)
    assert ran.code == 2, (ran.out, ran.err)
    assert expected in _one_error_line(ran.err)
    assert ran.out == ""
    assert len(fake.requests) == before


def test_a_type_contradicting_the_file_is_refused_before_the_upload(
    run_cli: RunCLI, fake: FakeServer, photo: Path
) -> None:
    before = len(fake.requests)
    ran = run_cli("messages", "send-media", TO, "--file", str(photo), "--type", "video")
    assert ran.code == 2
    assert "contradicts" in _one_error_line(ran.err)
    assert len(fake.requests) == before


def test_a_missing_file_is_exit_1(run_cli: RunCLI, tmp_path: Path) -> None:
    ran = run_cli("messages", "send-media", TO, "--file", str(tmp_path / "gone.jpg"))
    assert ran.code == 1
    assert "gone.jpg" in _one_error_line(ran.err)


def test_help_has_examples(run_cli: RunCLI) -> None:
    for words in (["messages"], ["messages", "send-text"], ["messages", "send-media"]):
        ran = run_cli(*words, "--help")
        assert ran.code == 0
        assert "dialog360 messages " in ran.out.split("Example", 1)[1]


# -- a hostile API ----------------------------------------------------------------------------


class _MessagesAPI:
    """Answers every POST /messages with the JSON a test sets (`answer`), on 127.0.0.1."""

    def __init__(self) -> None:
        self.answer: Any = {}
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                data = json.dumps(owner.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def hostile() -> Iterator[_MessagesAPI]:
    api = _MessagesAPI()
    yield api
    api.server.shutdown()
    api.server.server_close()


def test_server_text_is_escaped_on_the_terminal(run_cli: RunCLI, hostile: _MessagesAPI) -> None:
    hostile.answer = {
        "messaging_product": "whatsapp",
        "contacts": [{"input": TO, "wa_id": "\x1b]0;pwned\x07\u202e49"}],
        "messages": [{"id": "wamid.\x1b[2J", "message_status": "ok\rfake"}],
    }
    ran = run_cli("messages", "send-text", TO, "hi", base_url=hostile.base_url)
    assert ran.code == 0, ran.err
    assert ran.out == (
        "sent text message wamid.\\x1b[2J to \\x1b]0;pwned\\x07\\u202e49 (ok\\rfake)\n"
    )


def test_an_unusable_answer_is_one_line_exit_1(run_cli: RunCLI, hostile: _MessagesAPI) -> None:
    hostile.answer = {"messaging_product": "whatsapp", "contacts": [], "messages": []}
    ran = run_cli("messages", "send-text", TO, "hi", base_url=hostile.base_url)
    assert ran.code == 1
    assert "'messages'" in _one_error_line(ran.err)
