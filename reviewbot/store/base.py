"""The ReviewStore protocol: what the App remembers between deliveries.

One store is shared by every server replica and worker, so `claim_delivery`
is atomic across all of them (a unique-key insert in the database).
"""

from __future__ import annotations

from typing import Protocol


class ReviewStore(Protocol):
    def claim_delivery(self, delivery_id: str) -> bool:
        """True the first time `delivery_id` is claimed anywhere; False for every repeat."""

    def release_delivery(self, delivery_id: str) -> None:
        """Forget a claim, so that a redelivery of the same id is accepted again."""

    def last_reviewed_head(self, repo_full_name: str, pr_number: int) -> str | None:
        """The head commit the last review of this pull request covered, if any."""

    def set_last_reviewed_head(self, repo_full_name: str, pr_number: int, sha: str) -> None:
        """Remember the head commit a review just covered."""

    def ping(self) -> None:
        """Return if the store answers; raise otherwise."""
