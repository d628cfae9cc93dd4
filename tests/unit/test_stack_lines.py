"""The local stack reads its processes' output line by line, whatever they print."""

from __future__ import annotations

from deploy.local.lines import LineSplitter


def test_lines_split_across_chunks_come_out_whole() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"first li") == []
    assert splitter.feed(b"ne\nsecond\nthi") == ["first line", "second"]
    assert splitter.feed(b"rd\n") == ["third"]
    assert splitter.flush() == []


def test_a_line_longer_than_the_limit_is_cut_and_marked_and_the_next_one_is_whole() -> None:
    splitter = LineSplitter(max_bytes=10)
    out = splitter.feed(b"A" * 70_000) + splitter.feed(b"A" * 70_000 + b"\nnext\n")
    assert out == ["A" * 10 + " …[139990 more bytes]", "next"]


def test_an_unfinished_last_line_is_flushed_and_bad_bytes_are_replaced() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"ok\n\xff\xfe tail") == ["ok"]
    assert splitter.flush() == ["\ufffd\ufffd tail"]
