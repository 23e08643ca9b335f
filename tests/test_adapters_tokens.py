"""Installation tokens: cached per installation, renewed before they expire."""

from __future__ import annotations

from fakegithub import FakeClock

from reviewbot.adapters.github.tokens import REFRESH_MARGIN, Token, TokenCache


def _cache(clock):
    minted = []

    def mint(installation_id):
        minted.append(installation_id)
        return Token(f"t{len(minted)}-{installation_id}", clock() + 3600)

    return TokenCache(mint, clock), minted


def test_a_token_is_reused_until_shortly_before_it_expires():
    clock = FakeClock()
    cache, minted = _cache(clock)
    first = cache.token(7)
    clock.now += 3600 - REFRESH_MARGIN - 1
    assert cache.token(7) == first and minted == [7]
    clock.now += 1
    assert cache.token(7) != first and minted == [7, 7]


def test_tokens_are_cached_per_installation():
    cache, minted = _cache(FakeClock())
    assert cache.token(1) != cache.token(2)
    cache.token(1)
    assert minted == [1, 2]


def test_a_forgotten_token_is_minted_again():
    cache, minted = _cache(FakeClock())
    cache.token(1)
    cache.forget(1)
    cache.token(1)
    assert minted == [1, 1]
