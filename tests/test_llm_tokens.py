"""Token counting never touches the network; costs come from the price table."""

from __future__ import annotations

import hashlib
import socket

import pytest

from reviewbot.llm import tokens
from reviewbot.llm.prices import estimate_cost, format_stats, price_for
from reviewbot.models import Usage


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_empty_cache_means_an_estimate(tmp_path, no_network) -> None:
    counter = tokens.token_counter("gpt-4o", {"TIKTOKEN_CACHE_DIR": str(tmp_path)})
    assert isinstance(counter, tokens.EstimateCounter)
    assert counter.count("abcdefgh") == 2 and counter.count("abcdefghi") == 3


def test_disabled_cache_means_an_estimate(no_network) -> None:
    assert isinstance(tokens.token_counter("gpt-4o", {"TIKTOKEN_CACHE_DIR": ""}), tokens.EstimateCounter)


def test_a_corrupt_cached_encoding_is_not_used(tmp_path, no_network) -> None:
    url, _ = tokens.ENCODING_FILES["o200k_base"]
    (tmp_path / hashlib.sha1(url.encode()).hexdigest()).write_bytes(b"not an encoding")
    assert not tokens.cached_encoding_ok("o200k_base", tmp_path)
    assert isinstance(tokens.token_counter("gpt-4o", {"TIKTOKEN_CACHE_DIR": str(tmp_path)}), tokens.EstimateCounter)


def test_a_cached_encoding_with_the_right_checksum_is_trusted(tmp_path, monkeypatch) -> None:
    data = b"encoding bytes"
    url = "https://example.invalid/fake.tiktoken"
    monkeypatch.setitem(tokens.ENCODING_FILES, "fake", (url, hashlib.sha256(data).hexdigest()))
    (tmp_path / hashlib.sha1(url.encode()).hexdigest()).write_bytes(data)
    assert tokens.cached_encoding_ok("fake", tmp_path)


def test_cache_dir_follows_tiktoken_rules(tmp_path) -> None:
    assert tokens.tiktoken_cache_dir({"TIKTOKEN_CACHE_DIR": "/a", "DATA_GYM_CACHE_DIR": "/b"}).as_posix() == "/a"
    assert tokens.tiktoken_cache_dir({"DATA_GYM_CACHE_DIR": "/b"}).as_posix() == "/b"
    assert tokens.tiktoken_cache_dir({}).name == "data-gym-cache"


def test_unknown_models_use_the_default_encoding() -> None:
    assert tokens.encoding_name("llama3.1:8b") == tokens.DEFAULT_ENCODING
    assert tokens.encoding_name("gpt-4") == "cl100k_base"


def test_cost_uses_the_longest_matching_prefix_and_cached_price() -> None:
    usage = Usage(calls=2, prompt_tokens=1_000_000, completion_tokens=1_000_000, cached_tokens=500_000)
    mini = price_for("gpt-4o-mini-2024-07-18")
    assert mini == price_for("openai/gpt-4o-mini")
    expected = 500_000 * mini.input / 1e6 + 500_000 * mini.cached / 1e6 + mini.output
    assert estimate_cost("gpt-4o-mini-2024-07-18", usage) == pytest.approx(expected)
    assert price_for("o3-mini") != price_for("o3")


def test_unknown_model_cost_is_unknown() -> None:
    assert estimate_cost("qwen2.5-coder", Usage(1, 10, 10, 0)) is None
    line = format_stats("qwen2.5-coder", Usage(3, 1200, 80, 1000))
    assert "3 calls" in line and "1,200 prompt tokens (1,000 cached)" in line and "cost unknown" in line
