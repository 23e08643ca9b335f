"""The repository's settings: default branch only, validated, operator keys refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fakegithub import FakeGitHub, FakeHost

from reviewbot.app.repoconfig import parse_repo_config, read_repo_config
from reviewbot.config import Config
from reviewbot.errors import ConfigError
from reviewbot.models import Severity

BASE = Config(model="operator-model", max_comments=50)


def test_reviewbot_toml_is_layered_over_the_operators_config():
    found = parse_repo_config(
        'severity = "warning"\nmax-comments = 5\nignore = ["docs/**"]\n', ".reviewbot.toml", BASE
    )
    assert found.config.min_severity is Severity.WARNING and found.config.max_comments == 5
    assert found.config.ignore == ("docs/**",) and found.config.model == "operator-model"
    assert (
        found.source == ".reviewbot.toml" and found.request_changes is False and found.review_drafts is None
    )


def test_pyproject_contributes_its_tool_reviewbot_table():
    found = parse_repo_config(
        '[tool.reviewbot]\nlevel = "eli12"\nrequest-changes = true\n', "pyproject.toml", BASE
    )
    assert found.config.level == "eli12" and found.request_changes is True


def test_pyproject_without_the_table_leaves_the_config_alone():
    found = parse_repo_config('[project]\nname = "x"\n', "pyproject.toml", BASE)
    assert found.config == BASE and found.source is None


def test_app_keys_are_read_and_checked():
    assert parse_repo_config("review-drafts = true\n", ".reviewbot.toml", BASE).review_drafts is True
    with pytest.raises(ConfigError, match="request-changes: expected true or false"):
        parse_repo_config('request-changes = "yes"\n', ".reviewbot.toml", BASE)


@pytest.mark.parametrize("key", ["model", "base-url", "timeout", "concurrency"])
def test_a_repository_cannot_choose_the_model_or_its_server(key):
    with pytest.raises(ConfigError, match=f"'{key}' is set by whoever runs the App"):
        parse_repo_config(f'{key} = "x"\n', ".reviewbot.toml", BASE)


def test_mistakes_name_the_file_and_key():
    with pytest.raises(
        ConfigError, match=r"\.reviewbot\.toml: unknown key 'severty' \(did you mean 'severity'\?\)"
    ):
        parse_repo_config('severty = "info"\n', ".reviewbot.toml", BASE)
    with pytest.raises(ConfigError, match="invalid TOML"):
        parse_repo_config("severity = \n", ".reviewbot.toml", BASE)


def test_settings_are_read_from_the_default_branch_never_the_head():
    github = FakeGitHub()
    github.add_repo("octo/hello", default_branch="trunk")
    github.set_file("octo/hello", "trunk", ".reviewbot.toml", "max-comments = 3\n")
    github.set_file("octo/hello", "headsha", ".reviewbot.toml", "max-comments = 999\n")
    found = read_repo_config(FakeHost(github), "octo/hello", BASE)
    assert found.config.max_comments == 3
    assert github.calls("GET", r"contents/\.reviewbot\.toml$") and not github.calls("GET", "ref=")


def test_reviewbot_toml_wins_over_pyproject_and_pyproject_is_the_fallback():
    github = FakeGitHub()
    github.add_repo("octo/hello")
    github.set_file("octo/hello", "main", "pyproject.toml", "[tool.reviewbot]\nmax-comments = 7\n")
    assert read_repo_config(FakeHost(github), "octo/hello", BASE).config.max_comments == 7
    github.set_file("octo/hello", "main", ".reviewbot.toml", "max-comments = 2\n")
    assert read_repo_config(FakeHost(github), "octo/hello", BASE).config.max_comments == 2


def test_no_settings_file_means_the_operators_config():
    github = FakeGitHub()
    github.add_repo("octo/hello")
    found = read_repo_config(FakeHost(github), "octo/hello", BASE)
    assert found.config == replace(BASE, repository="octo/hello") and found.source is None


def test_the_review_knows_which_repository_it_reviews_and_no_settings_file_can_say_otherwise():
    """The webhook names the repository; its own actions are told apart from strangers' by that owner
    (reviewbot.analyzers.workflows.own_action). A settings file has no `repository` key to set."""
    github = FakeGitHub()
    github.add_repo("octo/hello")
    github.set_file("octo/hello", "main", ".reviewbot.toml", 'repository = "actions/checkout"\n')
    with pytest.raises(ConfigError, match="repository"):
        read_repo_config(FakeHost(github), "octo/hello", BASE)
    github.set_file("octo/hello", "main", ".reviewbot.toml", "max-comments = 2\n")
    assert read_repo_config(FakeHost(github), "octo/hello", BASE).config.repository == "octo/hello"
