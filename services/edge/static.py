"""The store app's files, as the edge serves them: each with its path and content type, and
the page "/" answers while the app is not built."""

from __future__ import annotations

import html
import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

INDEX = "index.html"

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "mjs": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "map": "application/json",
    "webmanifest": "application/manifest+json",
    "txt": "text/plain; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
    "ico": "image/x-icon",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "wasm": "application/wasm",
}
# Anything else is sent as bytes, never sniffed into something a browser would run.
DEFAULT_CONTENT_TYPE = "application/octet-stream"

PLACEHOLDER_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Click &amp; Collect store app</title></head>
<body>
<h1>The store app is not built yet</h1>
<p>This edge serves the store app from <code>{static_dir}</code>, which has no
<code>index.html</code>. Build the app into that folder and restart the edge (it reads the
files when it starts).</p>
<p>The API is up: gRPC-Web at this address, JSON over HTTP under <code>/v1/</code>.</p>
</body>
</html>
"""


@dataclass(frozen=True)
class AppFile:
    """One file of the built app: the URL path it answers and what it is."""

    path: str
    file: Path
    content_type: str
    size: int


def app_files(static_dir: Path) -> list[AppFile]:
    """Every regular file under static_dir (links and hidden files left out, so nothing outside
    the folder is served), sorted by path; index.html answers "/" too."""
    found: list[AppFile] = []
    for folder, subfolders, names in os.walk(static_dir):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            file = Path(folder) / name
            if name.startswith(".") or file.is_symlink() or not file.is_file():
                continue
            relative = file.relative_to(static_dir).as_posix()
            kind = CONTENT_TYPES.get(file.suffix.lstrip(".").lower(), DEFAULT_CONTENT_TYPE)
            size = file.stat().st_size
            found.append(AppFile("/" + urllib.parse.quote(relative), file, kind, size))
            if relative == INDEX:
                found.append(AppFile("/", file, kind, size))
    return sorted(found, key=lambda f: f.path)


def app_is_built(static_dir: Path) -> bool:
    return (static_dir / INDEX).is_file()


def placeholder_page(static_dir: Path) -> str:
    return PLACEHOLDER_PAGE.format(static_dir=html.escape(str(static_dir)))
