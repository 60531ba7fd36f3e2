"""Read the OpenAPI documents embedded in docs pages (```json blocks), and fetch new pages."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SpecBuildError

# A fenced block opened by ```json on a line of its own, closed by ``` on a line of its own.
_JSON_BLOCK = re.compile(r"^```json[ \t]*\n(.*?)\n```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Fragment:
    """One OpenAPI document found in a docs page, with where it came from."""

    document: dict[str, Any]
    origin: str  # "page.md:LINE", used in every error message
    block: int = 0  # 1-based position of the block in its page; 0 when not read from a page

    @property
    def page(self) -> str:
        """The name of the page the block came from."""
        return self.origin.rsplit(":", 1)[0]

    @property
    def where(self) -> str:
        """`page.md block 2 (line 17)`: the page, the block's number and its line."""
        if not self.block:
            return self.origin
        line = self.origin.rsplit(":", 1)[-1]
        return f"{self.page} block {self.block} (line {line})"


def extract_fragments(page: Path, *, name: str | None = None) -> list[Fragment]:
    """Every ```json block of `page`, parsed; text outside the blocks is ignored.

    `name` is the page name used in origins and errors (default: the file's own name).
    """
    text = page.read_text(encoding="utf-8")
    fragments = []
    for block, match in enumerate(_JSON_BLOCK.finditer(text), start=1):
        line = text.count("\n", 0, match.start()) + 1
        origin = f"{name or page.name}:{line}"
        try:
            document = json.loads(match.group(1))
        except json.JSONDecodeError as exc:
            raise SpecBuildError(f"{origin}: the json block does not parse: {exc}") from exc
        if not isinstance(document, dict) or "openapi" not in document:
            raise SpecBuildError(f"{origin}: the json block is not an OpenAPI document")
        fragments.append(Fragment(document, origin, block))
    return fragments


def read_sources(folder: Path) -> list[Fragment]:
    """The fragments of every page in `folder`, pages in name order."""
    pages = sorted(folder.glob("*.md"))
    if not pages:
        raise SpecBuildError(f"{folder}: no docs pages (*.md) to build from")
    fragments: list[Fragment] = []
    for page in pages:
        found = extract_fragments(page)
        if not found:
            raise SpecBuildError(f"{page.name}: no ```json OpenAPI block in this page")
        fragments.extend(found)
    return fragments


def page_name_for(url: str) -> str:
    """A stable file name for a docs page url: its path segments joined, ending in .md."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    path = path.split("://", 1)[-1].split("/", 1)[-1]
    segments = [s for s in path.removesuffix(".md").split("/") if s and s != "docs"]
    if not segments:
        raise SpecBuildError(f"{url}: cannot name a page from this url")
    return "-".join(re.sub(r"[^A-Za-z0-9_.-]", "_", s) for s in segments) + ".md"


def markdown_url(url: str) -> str:
    """The docs site serves each page's Markdown form at the page url plus `.md`."""
    base, sep, query = url.partition("?")
    if not base.endswith(".md"):
        base += ".md"
    return base + sep + query


def fetch_page(url: str, destination: Path, *, timeout: float = 30.0) -> None:
    """Download one docs page to `destination`; keep the old file unless the new one is usable."""
    import httpx  # only the fetch needs the network client

    try:
        response = httpx.get(markdown_url(url), timeout=timeout, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise SpecBuildError(f"{url}: fetch failed: {exc}") from exc
    if response.status_code != 200:
        raise SpecBuildError(f"{url}: fetch answered HTTP {response.status_code}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(response.content)
        try:
            found = extract_fragments(temp, name=destination.name)
        except SpecBuildError as exc:
            raise SpecBuildError(f"{url}: {exc}") from exc
        if not found:
            raise SpecBuildError(f"{url}: the page has no ```json OpenAPI block")
        os.replace(temp, destination)
    finally:
        temp.unlink(missing_ok=True)
