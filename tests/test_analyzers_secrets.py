"""detect-secrets on added lines: leaked keys are errors and are never echoed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reviewbot.analyzers.secrets import SecretsAnalyzer, masked, one_per_line, secret_finding
from reviewbot.diffmodel import parse_diff
from reviewbot.errors import AnalyzerError
from reviewbot.models import Severity
from reviewbot.review.analyzer import MAX_LINE_LENGTH, SourceFile

# Shaped like real credentials, valid for nothing.
AWS_KEY = "AKIAZ3MXQ7RW5TBN4KVD"
PEM_BODY = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0"
PEM = ["-----BEGIN RSA PRIVATE KEY-----", PEM_BODY, "q8K3ZFhq0xk=", "-----END RSA PRIVATE KEY-----"]
PASSWORD = "Sup3rS3cretPassw0rd!"


def new_file(path: str, lines: list[str]) -> SourceFile:
    """A SourceFile for a file the diff adds, as `git diff` prints it."""
    body = "".join(f"+{line}\n" for line in lines)
    text = (f"diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..1111111\n"
            f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{len(lines)} @@\n{body}")  # fmt: skip
    (file,) = parse_diff(text).files
    return SourceFile(path, None, file)


def scan(path: str, lines: list[str]):
    return SecretsAnalyzer().analyze([new_file(path, lines)])


def test_aws_key_is_an_error_named_for_its_plugin_and_never_echoed() -> None:
    result = scan("app/settings.py", ["import os", f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"'])
    (finding,) = result.findings
    assert (finding.path, finding.line, finding.rule, finding.analyzer) == (
        "app/settings.py", 2, "AWSKeyDetector", "secrets")  # fmt: skip
    assert finding.severity is Severity.ERROR
    assert "AWS Access Key" in finding.message
    assert "AKIA…" in finding.message
    assert AWS_KEY not in repr(finding)
    assert AWS_KEY[4:] not in repr(finding)


def test_a_temporary_key_id_is_listed_and_a_long_lived_one_is_not() -> None:
    """simonw/s3-credentials ced552d6d2: sample output in the docs shows an `ASIA…` key ID of temporary
    credentials, its secret and session token cut short. An `AKIA…` ID is a long-lived user's key."""
    temporary = scan("docs/localserver.md", ['  "AccessKeyId": "ASIAWXFXAIOZPAHAYHUG",', '  "SecretAccessKey": "Nrnoc...",'])
    (finding,) = [f for f in temporary.findings if f.rule == "AWSKeyDetector"]
    assert finding.listed_as and "temporary" in finding.listed_as
    (kept,) = scan("app/settings.py", [f'AWS_ACCESS_KEY_ID = "{AWS_KEY}"']).findings
    assert kept.listed_as is None


def test_private_key_is_reported_once_and_nothing_of_it_is_shown() -> None:
    result = scan("deploy/key.txt", ["# deploy key", *PEM])
    (finding,) = result.findings
    assert (finding.line, finding.rule) == (2, "PrivateKeyDetector")
    for part in (PEM_BODY, PEM_BODY[:8], "q8K3ZFhq"):
        assert part not in repr(finding)


def test_the_fix_says_rotate_and_move_out_of_the_repository() -> None:
    (finding,) = scan("config.py", [f'aws_key = "{AWS_KEY}"']).findings
    assert "revoke and replace" in finding.hint
    assert "git history" in finding.hint
    assert "environment variable or a secret store" in finding.hint


def test_short_values_are_not_shown_at_all() -> None:
    (finding,) = scan("config.yaml", ["password: hunter2x"]).findings
    assert finding.rule == "KeywordDetector"
    assert "hunt" not in repr(finding)


def test_long_keyword_values_show_at_most_four_characters() -> None:
    (finding,) = scan("settings.py", [f'db_password = "{PASSWORD}"']).findings
    assert "Sup3…" in finding.message
    assert PASSWORD[4:] not in repr(finding)


def test_works_without_post_change_content_and_scans_only_added_lines() -> None:
    text = (
        "diff --git a/a.py b/a.py\nindex 1111111..2222222 100644\n--- a/a.py\n+++ b/a.py\n"
        f'@@ -1,2 +1,2 @@\n old_key = "{AWS_KEY}"\n-x = 1\n+x = 2\n'
    )
    (file,) = parse_diff(text).files
    assert SecretsAnalyzer().analyze([SourceFile("a.py", None, file)]).findings == ()


def test_default_filters_drop_obvious_false_positives() -> None:
    lines = [
        'password = get_password()',  # indirect reference
        'api_key = "${API_KEY}"',  # template
        'secret = "<your-secret-here>"',  # template
        'token_id = "123e4567-e89b-12d3-a456-426614174000"',  # uuid
        'print("hello world")',
    ]
    assert scan("app.py", lines).findings == ()


def test_the_allowlist_pragma_is_left_to_the_review() -> None:
    # the review honours only suppressions the change did not add (reviewbot.review.suppressions)
    (finding,) = scan("app.py", [f'aws_key = "{AWS_KEY}"  # pragma: allowlist secret']).findings
    assert finding.rule == "AWSKeyDetector"


def test_documented_example_keys_are_not_secrets_anywhere() -> None:
    assert scan("app/settings.py", ['AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"']).findings == ()


FAKES = ['app.secret_key = "new test key"', 'PASSWORD = "dummy-password"', 'token = "changeme"',
         'api_key = "xxxxxxxxxxxxxxxx"', 'password = "fake-Passw0rd-for-tests"']  # fmt: skip


def test_obviously_fake_values_in_test_code_are_not_secrets() -> None:
    file = new_file("tests/test_login.py", FAKES)
    test_file = SourceFile(file.path, None, file.diff, is_test=True)
    assert SecretsAnalyzer().analyze([test_file]).findings == ()


def test_the_same_values_in_library_code_are_still_reported() -> None:
    assert len(scan("app/config.py", FAKES).findings) >= 3


def test_a_real_looking_key_in_test_code_is_still_found() -> None:
    file = new_file("tests/test_aws.py", [f'KEY = "{AWS_KEY}"'])
    (finding,) = SecretsAnalyzer().analyze([SourceFile(file.path, None, file.diff, is_test=True)]).findings
    assert finding.rule == "AWSKeyDetector"  # the rule table caps it at info in test code


def test_lines_over_the_length_limit_are_skipped_with_a_note() -> None:
    long = "x = '" + "a" * (MAX_LINE_LENGTH + 1) + f"'  # {AWS_KEY}"
    result = scan("blob.py", [long, f'KEY = "{AWS_KEY}"'])
    assert [f.line for f in result.findings] == [2]
    assert result.notes == (f"blob.py: line 1 longer than {MAX_LINE_LENGTH:,} characters not checked by the secrets scan",)


def test_one_finding_per_line_keeps_the_most_specific_detector() -> None:
    generic = secret_finding("a.py", 3, "Base64 High Entropy String", "Base64HighEntropyString", "x" * 40)
    keyword = secret_finding("a.py", 3, "Secret Keyword", "KeywordDetector", "x" * 40)
    aws = secret_finding("a.py", 3, "AWS Access Key", "AWSKeyDetector", AWS_KEY)
    other_line = secret_finding("a.py", 4, "Secret Keyword", "KeywordDetector", "short")
    assert [f.rule for f in one_per_line([generic, keyword, aws, other_line])] == ["AWSKeyDetector",
                                                                                  "KeywordDetector"]  # fmt: skip
    assert [f.rule for f in one_per_line([generic, keyword])] == ["KeywordDetector"]


def test_public_ip_is_a_configuration_lesson_not_a_leaked_credential() -> None:
    finding = secret_finding("deploy.py", 1, "Public IP (ipv4)", "IPPublicDetector", "203.0.113.77")
    assert finding.title == "Hard-coded public IP address"
    assert "revoke" not in finding.hint
    assert "configuration" in finding.hint


def test_mask_rules() -> None:
    assert masked("abcdefghijkl", "AWSKeyDetector") == "abcd…"
    assert masked("abcdefghijk", "AWSKeyDetector") is None
    assert masked("abcdefghijklmnop", "PrivateKeyDetector") is None


def test_files_without_added_lines_do_not_load_detect_secrets() -> None:
    code = (
        "import sys\nfrom reviewbot.analyzers.secrets import SecretsAnalyzer\n"
        "assert SecretsAnalyzer().analyze([]).findings == ()\n"
        "assert 'detect_secrets' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_settings_are_restored_after_a_scan() -> None:
    from detect_secrets.settings import get_settings

    before = get_settings().json()
    scan("a.py", [f'key = "{AWS_KEY}"'])
    assert get_settings().json() == before


def test_missing_detect_secrets_is_an_analyzer_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("detect_secrets", "detect_secrets.core", "detect_secrets.core.scan"):
        monkeypatch.setitem(sys.modules, name, None)  # None in sys.modules makes the import fail
    with pytest.raises(AnalyzerError, match="detect-secrets is not installed; .*pip install"):
        scan("a.py", ["x = 1"])


def test_a_detect_secrets_without_the_line_scanner_is_an_analyzer_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from detect_secrets.core import scan as ds_scan

    monkeypatch.delattr(ds_scan, "_process_line_based_plugins")
    with pytest.raises(AnalyzerError, match="cannot scan diff lines; .*detect-secrets>=1.5,<2"):
        scan("a.py", ["x = 1"])


def test_a_sudoers_rule_is_not_a_password_but_a_password_next_to_it_is() -> None:
    lines = ["    steps:", "      - run: |", '          echo "tester ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/tester',
             f"          password: {PASSWORD}"]  # fmt: skip
    result = scan(".github/workflows/tests.yml", lines)
    assert [(f.line, f.rule) for f in result.findings] == [(4, "KeywordDetector")]


def test_secrets_inherit_is_a_keyword_not_a_secret() -> None:
    """sdkman/sdkman-cli 532356b8e8: a reusable workflow called with `secrets: inherit`."""
    lines = ["jobs:", "  triage:", "    uses: sdkman/.github/.github/workflows/triage.yml@main",
             "    secrets: inherit", f"    password: {PASSWORD}"]  # fmt: skip
    assert [(f.line, f.rule) for f in scan(".github/workflows/triage.yml", lines).findings] == [(5, "KeywordDetector")]


def test_a_name_that_describes_a_secret_holds_no_secret_but_the_secret_beside_it_is_one() -> None:
    """PyGithub/PyGithub 4f8674b724, `github/OrganizationSecret.py`: `secret_type == "actions"` names
    which API a secret belongs to."""
    lines = ['        if secret_type == "actions":', '            token_url: str = "https://api.example.com/token"',
             "    const auth = { tokenType: 'Bearer' };", f'        secret = "{PASSWORD}"',
             '    account_key_sigalgo="ES256"']  # dehydrated-io/dehydrated 93573cda3c: a JWS algorithm's name
    result = scan("github/OrganizationSecret.py", lines)
    assert [(f.line, f.rule) for f in result.findings] == [(4, "KeywordDetector")]


SHA256 = "b7a4c1e2f0d39a8865b1e0f4c2d7a9e3316f5b8c0d4e7a2f9c6b1d3e5f7a9c0b"


def test_a_published_checksum_is_not_a_secret_but_the_same_hex_as_a_token_is() -> None:
    dockerfile = ["FROM debian:bookworm-slim", f'ENV NODE_VERSION=25.0.0 CHECKSUM="{SHA256}"',
                  'RUN echo "$CHECKSUM  node.tar.xz" | sha256sum -c -']  # fmt: skip
    assert scan("25/bookworm/Dockerfile", dockerfile).findings == ()
    token = scan("deploy/settings.py", [f'API_TOKEN = "{SHA256}"'])
    assert [f.line for f in token.findings] == [1]
    forty = scan("deploy/settings.py", [f'GITHUB_TOKEN = "{SHA256[:40]}"'])
    assert [f.line for f in forty.findings] == [1]


# Two entries of socket.io's package-lock.json (commit 8bead0f4c6): npm's Subresource Integrity digests.
LOCKFILE_ENTRY = [
    '    "node_modules/@types/node": {',
    '      "version": "24.13.2",',
    '      "resolved": "https://registry.npmjs.org/@types/node/-/node-24.13.2.tgz",',
    '      "integrity": "sha512-fRa09kZTgu8o71KFcDjUFuc7F+dEbZYZmkI0mg5YBTRs0yMKjYHsq/c0urDKeDb+D5qVgXOdFcuu+DZPKOITwA==",',
    '      "license": "MIT"',
    "    },",
    '    "node_modules/undici-types": {',
    '      "integrity": "sha512-AsuCzffGHJybSaRrmr5eHr81mwJU3kjw6M+uprWvCXiNeN9SOGwQ3Jn8jb8m3Z6izVgknn1R0FTCEAP2QrLY/w==",',
    "    }",
]


def test_a_lock_files_integrity_digests_are_not_secrets_but_the_same_base64_as_a_key_is() -> None:
    assert scan("package-lock.json", LOCKFILE_ENTRY).findings == ()
    digest = LOCKFILE_ENTRY[3].split("sha512-")[1].rstrip('",')
    key = scan("config/production.js", [f'module.exports = {{ signingKey: "{digest}" }};'])
    assert [f.line for f in key.findings] == [1]


# taskforcesh/bullmq's elixir/mix.lock (commit 2f5ea2c164): Hex's package checksum after the version, on a
# line that names no digest.
MIX_LOCK = ['  "credo": {:hex, :credo, "1.7.19", "cc52129665fc7c15143d47838fda0f9cd6dac9ceced7bf4da6f85fcbfe64b12a", [:mix], [{:bunt, "~> 0.2.1 or ~> 1.0", [hex: :bunt, repo: "hexpm", optional: false]}, {:file_sys' + "]}"]


def test_a_checksum_in_a_package_managers_lock_file_is_not_a_secret() -> None:
    assert scan("elixir/mix.lock", MIX_LOCK).findings == ()
    assert [f.line for f in scan("elixir/config.exs", MIX_LOCK).findings] == [1]

# twisted/constantly's .travis.yml (commit 35f392238e): a deploy password sealed by `travis encrypt` with the
# repository's public key; only Travis can open it.
TRAVIS = ["env:", "  global:", '    - secure: "QbyO0c/X/OxJb+ikTlvjZIUsjNCHNrCqVG8o8KnC3qh4SN7UqWpDArS/ghe1UDVhkm9Q5dojGX4lZtg5XJoJlA=="']


def test_a_travis_secure_value_is_ciphertext_not_a_secret() -> None:
    assert scan(".travis.yml", TRAVIS).findings == ()
    assert [f.line for f in scan("deploy/settings.yml", TRAVIS).findings] == [3]


# docker-library/ruby's versions.json (commit b4f30b5c44): the release tarballs' published checksums,
# each under the key naming its algorithm, a line or more above.
VERSIONS_JSON = [
    '  "3.4": {',
    '    "sha1": {',
    '      "gz": "9534a3aa08d2ccb4d3c50b1301b2da9a9b91c4ab",',
    '      "xz": "501cecc15ba079087967888ae455d62e5886fbc1"',
    "    },",
    '    "sha256": {',
    '      "gz": "b3eeabd6636f334531db3ffdc3229eb05e524740e6c84fdc043720573cf2f8b2",',
    '      "xz": "c13aec0c206725d5d356acbae6e5fd8bffd92dc325aec14fd5dd7795d4b763d2"',
    "    },",
    '    "version": "3.4.1"',
    "  }",
]


def test_a_checksum_under_a_key_naming_its_algorithm_is_not_a_secret_but_under_another_key_it_is() -> None:
    assert scan("versions.json", VERSIONS_JSON).findings == ()
    tokens = [line.replace('"sha256"', '"deploy_tokens"').replace('"sha1"', '"api_keys"') for line in VERSIONS_JSON]
    assert [f.line for f in scan("deploy/tokens.json", tokens).findings] == [3, 4, 7, 8]


def test_a_checksum_far_down_a_long_map_is_still_under_its_key() -> None:
    """tianon/dockerfiles a2ef600161 `prometheus/versions.json`: thirty release tarballs under one
    `"sha256": {`, the last ones more than twenty lines below it."""
    import hashlib

    sums = [f'    "prometheus-3.14.0.os{n}.tar.gz": "{hashlib.sha256(str(n).encode()).hexdigest()}",' for n in range(30)]
    lines = ["{", '  "version": "3.14.0",', '  "sha256": {', *sums, "  }", "}"]
    assert scan("prometheus/versions.json", lines).findings == ()


def test_a_commit_id_named_as_one_is_not_a_secret_but_a_committers_token_is() -> None:
    # nginxinc/docker-nginx f227279d7b: the pkg-oss commit the image builds from
    line = '                && REVISION="0286c5190d972a49bffc9bf247885dd510ce8181" \\'
    assert scan("mainline/debian/Dockerfile", ["RUN set -x \\", line]).findings == ()
    token = scan("deploy/env.py", ['COMMITTER_TOKEN = "0286c5190d972a49bffc9bf247885dd510ce8181"'])
    assert [f.line for f in token.findings] == [1]
