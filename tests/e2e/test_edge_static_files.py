"""The edge serves a built store app's files from its folder, with their content types, and
nothing else: no file outside it, no other method than a read."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import trustme

from tests.support.edge import http, standalone_edge
from tests.support.tls import tls_files

INDEX = "<!doctype html><html><body><script src=/assets/app.js></script></body></html>"
APP = "console.log('store app');"


@pytest.fixture(scope="module")
async def edge(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    dist = tmp_path_factory.mktemp("dist")
    (dist / "assets").mkdir()
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "app.js").write_text(APP)
    (dist / "assets" / "app.css").write_text("body { margin: 0 }")
    (dist.parent / "secret.txt").write_text("not for browsers")
    async with standalone_edge(tmp_path_factory.mktemp("edge"), dist) as url:
        yield url


async def test_the_root_and_index_answer_the_app_page(edge: str) -> None:
    for path in ("/", "/index.html"):
        page = await http("GET", f"{edge}{path}")
        assert page.status == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.text == INDEX


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/assets/app.js", "text/javascript"), ("/assets/app.css", "text/css")],
)
async def test_each_file_has_its_content_type(edge: str, path: str, content_type: str) -> None:
    answer = await http("GET", f"{edge}{path}")
    assert answer.status == 200
    assert answer.headers["content-type"].split(";")[0] == content_type


async def test_a_missing_file_is_not_found(edge: str) -> None:
    assert (await http("GET", f"{edge}/assets/missing.js")).status == 404


async def test_nothing_outside_the_folder_is_served(edge: str, tmp_path: Path) -> None:
    for path in ("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"):
        answer = await http("GET", f"{edge}{path}")
        assert answer.status in (400, 404), path
        assert "not for browsers" not in answer.text


async def test_files_are_only_read(edge: str) -> None:
    answer = await http("POST", f"{edge}/index.html", b"x")
    assert answer.status == 404
    assert INDEX not in answer.text


async def test_with_a_certificate_of_its_own_the_edge_serves_https_only(tmp_path: Path) -> None:
    ca = trustme.CA()
    certificate = tls_files(tmp_path, ca, "edge", prefix="CC_EDGE_")
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text(INDEX)
    async with standalone_edge(tmp_path, dist, certificate, trusting) as url:
        page = await http("GET", f"{url}/", tls=trusting)
        assert (page.status, page.text) == (200, INDEX)
        with pytest.raises(OSError):  # plain HTTP gets no answer
            await http("GET", f"{url.replace('https:', 'http:')}/")
