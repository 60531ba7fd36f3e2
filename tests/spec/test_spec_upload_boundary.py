"""The generated multipart upload leaves the boundary to httpx: random, fresh per request.

openapi-python-client 0.29.1's endpoint template hard-codes `boundary=+++`; scripts/templates/
holds our copy without that line, and scripts/specbuild/codegen.py passes it to the generator.
"""

from __future__ import annotations

import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import httpx
import openapi_python_client
from dialog360_api.api.media import upload_media
from dialog360_api.models import UploadMediaRequest
from dialog360_api.types import File
from spec_helpers import GENERATED, SCRIPTS

PACKAGE_TEMPLATES = Path(openapi_python_client.__file__).parent / "templates"
OUR_TEMPLATES = SCRIPTS / "templates"
JINJA_COMMENT = re.compile(r"\A\{#.*?#\}\n", re.DOTALL)


def _request(data: bytes) -> httpx.Request:
    body = UploadMediaRequest(
        messaging_product="whatsapp",
        file=File(payload=BytesIO(data), file_name="a.txt", mime_type="text/plain"),
        type_="text/plain",
    )
    kwargs = upload_media._get_kwargs(body=body)
    return httpx.Request(url="https://example.test" + kwargs.pop("url"), **kwargs)


def test_no_generated_endpoint_fixes_a_boundary_or_a_multipart_content_type() -> None:
    modules = sorted((GENERATED / "dialog360_api" / "api").rglob("*.py"))
    assert any(module.name == "upload_media.py" for module in modules)
    for module in modules:
        source = module.read_text(encoding="utf-8")
        assert "boundary" not in source, module
        assert '"multipart/form-data' not in source, module


def test_upload_kwargs_leave_the_content_type_to_httpx() -> None:
    body = UploadMediaRequest(
        messaging_product="whatsapp",
        file=File(payload=BytesIO(b"x"), file_name="a.txt", mime_type="text/plain"),
        type_="text/plain",
    )

    kwargs = upload_media._get_kwargs(body=body)

    assert "files" in kwargs
    assert {name.lower() for name in kwargs["headers"]} == set()


def test_each_request_gets_its_own_random_boundary_that_frames_the_body() -> None:
    data = b'\r\n--+++\r\nContent-Disposition: form-data; name="type"\r\n\r\nimage/png\r\n--+++--'
    boundaries = []
    for _ in range(2):
        request = _request(data)
        content_type = request.headers["Content-Type"]
        assert content_type.startswith("multipart/form-data; boundary=")
        boundary = content_type.split("boundary=", 1)[1].encode()
        body = request.read()
        assert body.startswith(b"--" + boundary + b"\r\n")
        assert body.endswith(b"\r\n--" + boundary + b"--\r\n")
        assert boundary not in data
        assert body.count(b"--" + boundary) == 4  # three parts and the closing delimiter
        boundaries.append(boundary)

    assert boundaries[0] != boundaries[1]
    assert b"+++" not in boundaries[0]


def test_our_templates_replace_only_package_templates() -> None:
    ours = sorted(path.name for path in OUR_TEMPLATES.iterdir())

    assert ours == ["endpoint_module.py.jinja", "models_init.py.jinja"]
    for name in ours:
        assert (PACKAGE_TEMPLATES / name).is_file(), f"{name} no longer exists in the generator"


def test_our_endpoint_template_is_the_package_one_minus_the_fixed_boundary() -> None:
    # A generator upgrade that changes its template must be noticed: the copy would go stale.
    package = (PACKAGE_TEMPLATES / "endpoint_module.py.jinja").read_text(encoding="utf-8")
    ours = (OUR_TEMPLATES / "endpoint_module.py.jinja").read_text(encoding="utf-8")
    stock_multipart = re.compile(
        r'\{%- if body\.content_type == "multipart/form-data" %\}\n'
        r'( *)headers\["Content-Type"\] = "multipart/form-data; boundary=\+\+\+"\n'
        r" *\{% else %\}\n"
    )
    assert len(stock_multipart.findall(package)) == 2

    expected = stock_multipart.sub(
        r'{%- if body.content_type != "multipart/form-data" %}\n', package
    )

    assert JINJA_COMMENT.sub("", ours) == expected
    assert "boundary" not in JINJA_COMMENT.sub("", ours)


def test_models_load_on_first_use_only() -> None:
    # The lazy models/__init__ template: `import dialog360` leaves the webhook models unloaded,
    # and every name the package lists still resolves.
    code = (
        "import sys, dialog360, dialog360_api.models as models; "
        "print(sorted(m for m in sys.modules if 'webhook' in m or 'inbound' in m)); "
        "print(all(getattr(models, name, None) is not None for name in models.__all__))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "True"]
