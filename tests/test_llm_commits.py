"""Commit messages become bounded, untrusted words of the pull request."""

from __future__ import annotations

from fakegithub import recorded

from reviewbot.llm.commits import (
    MAX_BODY,
    MAX_COMMITS,
    MAX_SUBJECT,
    MAX_TOTAL,
    bounded,
    cut,
    from_api,
    from_message,
    with_commits,
)
from reviewbot.models import CommitMessage, PullRequestText

SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"


def test_a_message_splits_into_subject_and_body() -> None:
    found = from_message(SHA, "Fix the cache\r\n\r\nThe key ignored the locale.\r\nSee #12.\n")
    assert found == CommitMessage(SHA, "Fix the cache", "The key ignored the locale.\nSee #12.")
    assert from_message(SHA, "Only a subject\n") == CommitMessage(SHA, "Only a subject", "")


def test_an_id_that_is_not_a_commit_id_is_left_out() -> None:
    assert from_message("HEAD; rm -rf /", "x").id == ""
    assert from_message("ABC", "x").id == ""  # git and GitHub give lowercase hex, at least 4 digits


def test_githubs_documented_answer_gives_its_messages() -> None:
    example = recorded()["list-pull-commits"]["example"]
    assert from_api(example) == (CommitMessage(SHA, "Fix all the bugs", ""),)


def test_entries_without_a_usable_message_are_left_out() -> None:
    items = [{"sha": SHA, "commit": {"message": "   "}}, {"sha": SHA}, "junk", {"sha": 7, "commit": {"message": "Keep"}}]
    assert from_api(items) == (CommitMessage("", "Keep", ""),)


def test_a_long_branch_keeps_its_newest_commits_and_counts_the_rest() -> None:
    commits = tuple(CommitMessage(f"{n:04x}", f"Step {n}") for n in range(MAX_COMMITS + 5))
    shown = bounded(with_commits(PullRequestText("T", "D"), commits, earlier=2))
    assert [c.subject for c in shown.commits] == [f"Step {n}" for n in range(5, MAX_COMMITS + 5)]
    assert shown.earlier == 7 and (shown.title, shown.description) == ("T", "D")


def test_subjects_bodies_and_the_total_are_cut_and_say_so() -> None:
    huge = CommitMessage("abcd", "s" * (MAX_SUBJECT + 10), "b" * (MAX_BODY + 99))
    [one] = bounded(PullRequestText(commits=(huge,))).commits
    assert one.subject == "s" * MAX_SUBJECT + " [… 10 more characters not shown]"
    assert one.body == "b" * MAX_BODY + " [… 99 more characters not shown]"
    many = tuple(CommitMessage("abcd", f"c{n}", "x" * MAX_BODY) for n in range(MAX_COMMITS))
    shown = bounded(PullRequestText(commits=many)).commits
    kept = sum(len(c.body) for c in shown if "not shown" not in c.body)
    assert kept <= MAX_TOTAL and shown[-1].body == "x" * MAX_BODY  # the newest keep their words
    assert shown[0].body == f"[… {MAX_BODY} more characters not shown]"  # the oldest, past the total


def test_cut_leaves_short_text_alone() -> None:
    assert cut("short", 10) == "short"
