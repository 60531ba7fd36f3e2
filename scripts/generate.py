#!/usr/bin/env python3
"""Build spec/openapi.json from the docs pages and overlays, then regenerate generated/.

python scripts/generate.py            rebuild both, print what changed in the API
python scripts/generate.py --check    rebuild in a temp folder; fail with a diff if out of sync
python scripts/generate.py --fetch    download every page listed in spec/pages.json, then rebuild
python scripts/generate.py --fetch URL [URL ...]   download these pages (new ones are listed)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from specbuild.build import build_spec, render_spec
from specbuild.changelog import describe_changes
from specbuild.codegen import PACKAGE_NAME, generate_package, replace_package
from specbuild.compare import shorten, text_diff, tree_diff
from specbuild.errors import SpecBuildError
from specbuild.sources import fetch_page, page_name_for

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check", action="store_true", help="fail with a diff if spec/ or generated/ is stale"
    )
    parser.add_argument(
        "--fetch", nargs="*", metavar="URL", help="download docs pages before building"
    )
    parser.add_argument(
        "--spec-dir", type=Path, default=ROOT / "spec", help="holds sources/, overlays/, pages.json"
    )
    parser.add_argument(
        "--generated", type=Path, default=ROOT / "generated", help="folder that holds the package"
    )
    return parser.parse_args(argv)


def fetch(urls: list[str], spec_dir: Path) -> None:
    """Download pages into spec/sources/, keeping spec/pages.json (file name -> url) current."""
    index_path = spec_dir / "pages.json"
    pages: dict[str, str] = json.loads(index_path.read_text()) if index_path.exists() else {}
    by_url = {url: name for name, url in pages.items()}
    listed = dict(pages)
    try:
        for url in urls or list(pages.values()):
            name = by_url.get(url) or page_name_for(url)
            fetch_page(url, spec_dir / "sources" / name)
            pages[name] = url
            print(f"fetched {url} -> spec/sources/{name}")
    finally:
        # Pages fetched before a failure stay listed, so a later --fetch refreshes them too.
        if pages != listed:
            index_path.write_text(json.dumps(dict(sorted(pages.items())), indent=2) + "\n")


def run(args: argparse.Namespace) -> int:
    if args.fetch is not None:
        if args.check:
            raise SpecBuildError("--fetch and --check do not go together: --check never writes")
        fetch(args.fetch, args.spec_dir)
    spec_path = args.spec_dir / "openapi.json"
    package_path = args.generated / PACKAGE_NAME
    document = build_spec(args.spec_dir / "sources", args.spec_dir / "overlays")
    spec_text = render_spec(document)
    committed_text = spec_path.read_text(encoding="utf-8") if spec_path.exists() else None

    changes = describe_changes(json.loads(committed_text) if committed_text else None, document)
    print("API changes against the committed spec:")
    for line in changes or ["no API changes"]:
        print(f"  {line}")

    with tempfile.TemporaryDirectory(prefix="dialog360-build-") as work:
        built_spec = Path(work) / "openapi.json"
        built_spec.write_text(spec_text, encoding="utf-8")
        built_package = Path(work) / "out" / PACKAGE_NAME
        generate_package(built_spec, built_package)
        if args.check:
            diff = text_diff("spec/openapi.json", committed_text or "", spec_text)
            diff += tree_diff(f"generated/{PACKAGE_NAME}", package_path, built_package)
            if diff:
                print("\n".join(shorten(diff)))
                print(
                    "OUT OF SYNC: run `python scripts/generate.py` and commit the result.",
                    file=sys.stderr,
                )
                return 1
            print("in sync: spec/openapi.json and generated/ match a fresh build")
            return 0
        temp_spec = spec_path.with_name(".openapi.json.new")
        temp_spec.write_text(spec_text, encoding="utf-8")
        os.replace(temp_spec, spec_path)
        replace_package(built_package, package_path)
    print(f"wrote {spec_path.relative_to(spec_path.parent.parent)} and {package_path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(parse_args(argv))
    except SpecBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
