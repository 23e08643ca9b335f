"""Leaked credentials in added lines, found with detect-secrets.

Only the lines a diff adds are scanned, straight from the diff, so this works
without the post-change files. detect-secrets' default plugins and default
false-positive filters are used, with three changes: the filter that drops
files missing from the current directory is off (the scan is of diff text,
not of the working tree), verification is off (no network), and
`pragma: allowlist secret` comments are left to the review, which honours
only those the change did not add itself.

A finding never carries the secret: at most its first four characters, and
only for values of twelve characters or more; nothing of a private key.

detect-secrets is imported only when a scan runs (it is slow to import), and
its settings are process-wide, so scans hold a lock.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import PurePosixPath

from reviewbot.analyzers.secretnames import describes_a_secret, named_beside
from reviewbot.errors import AnalyzerError
from reviewbot.models import Severity
from reviewbot.review.analyzer import AnalyzerResult, Finding, SourceFile, long_lines_note, scannable_lines

NAME = "secrets"
MASK_MIN_LENGTH = 12  # shorter values are never shown, even in part
MASK_PREFIX = 4
NEVER_SHOWN = frozenset({"PrivateKeyDetector"})  # no part of these is shown
GENERIC = ("KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString")  # least specific last

_DISABLED_FILTERS = (
    "detect_secrets.filters.common.is_invalid_file",  # looks for the file on disk
    "detect_secrets.filters.common.is_ignored_due_to_verification_policies",  # calls the provider's API
    # `pragma: allowlist secret` is judged by the review, which honours only the ones the
    # change did not add (reviewbot.review.suppressions)
    "detect_secrets.filters.allowlist.is_line_allowlisted",
)
_LOCK = threading.Lock()
INSTALL = "install a supported version: pip install 'detect-secrets>=1.5,<2'"

# detect-secrets' names for its generic detectors, said the way a reader would
KIND_NAMES = {
    "Secret Keyword": "a password or key assigned in code",
    "Base64 High Entropy String": "a random-looking string, typical of keys and tokens",
    "Hex High Entropy String": "a random-looking hex string, typical of keys and tokens",
}

HINT = (
    "Treat it as leaked: revoke and replace it now, because deleting the line later does not remove it "
    "from git history. Then load it at run time from an environment variable or a secret store, and keep "
    "only placeholders in the repository."
)
# Detectors whose findings are not credentials: (title, what the line adds, how to fix).
NOT_CREDENTIALS = {
    "IPPublicDetector": (
        "Hard-coded public IP address",
        "a public IP address",
        "Read addresses from configuration (an environment variable or a config file), so each deployment "
        "sets its own and the code does not publish where your infrastructure lives.",
    ),
}


# Values nobody would use as a real credential: in test code a secret finding whose value
# contains one of these is not reported; documented example keys are not reported anywhere.
FAKE_WORDS = ("test", "dummy", "fake", "example", "changeme", "change-me", "change_me", "sample", "placeholder",
              "mock", "secret", "password", "passwd", "xxx", "foo", "bar", "1234", "not-real", "notreal", "your")  # fmt: skip
EXAMPLE_KEYS = ("EXAMPLE",)  # AWS's documented AKIAIOSFODNN7EXAMPLE / ...EXAMPLEKEY
# A sudoers rule ("deploy ALL=(ALL) NOPASSWD: ALL") names the commands a user may run without a
# password; the keyword detector reads "PASSWD: ALL" as a password assignment.
MAX_KEY_LINES = 200  # a key block longer than this is identified by its first lines
SUDOERS_TAG = re.compile(r"\b(?:NO)?PASSWD:")
SECRETS_INHERIT = re.compile(r"^\s*secrets:\s*inherit\s*(?:#.*)?$")  # a workflow's keyword: hand the caller's secrets on
# A published digest (a tarball's SHA-256, an MD5 in a lock file, a lock file's `"integrity":
# "sha512-…"`) is random-looking, and public: a value of a digest's length, in hex or base64, on a
# line that names it as a digest is not a secret.
DIGEST_BYTES = frozenset({16, 20, 28, 32, 48, 64})  # MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512
DIGEST_LENGTHS = frozenset(2 * size for size in DIGEST_BYTES)  # as hex digits
DIGEST_WORDS = re.compile(r"checksum|digest|sha(?:1|224|256|384|512)?(?:sum)?\b|sha-?\d|md5|integrity|hash"
                          r"|revision|(?<![a-z])commit(?![a-z])", re.I)  # a git commit id is a SHA-1 (or SHA-256)
HEX = re.compile(r"[0-9a-fA-F]+")
BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
SRI_PREFIX = re.compile(r"^sha(?:1|256|384|512)-")  # Subresource Integrity: "sha512-<base64 digest>"


class SecretsAnalyzer:
    name = NAME

    def analyze(self, files: Sequence[SourceFile]) -> AnalyzerResult:
        scannable, notes, contents = [], [], {}
        for file in files:
            lines, long = scannable_lines(file)
            if long:
                notes.append(long_lines_note("the secrets scan", file.path, long))
            if lines:
                scannable.append((file.path, lines))
                contents[file.path] = _whole(file, lines)
        tests = frozenset(f.path for f in files if f.is_test)
        found = scan_lines(scannable, tests, contents) if scannable else []
        return AnalyzerResult(tuple(one_per_line(found)), examined=tuple(path for path, _ in scannable),
                              notes=tuple(notes))  # fmt: skip


def scan_lines(
    files: Sequence[tuple[str, Sequence[tuple[int, str]]]], tests: frozenset[str] | None = None,
    contents: Mapping[str, Sequence[str]] | None = None,
) -> list[Finding]:
    """Secrets on the given numbered lines of each path (detect-secrets' settings are global: one scan at a time).

    With `tests` (the paths of test code), documented example keys are left out everywhere and
    obviously fake values in those paths; without it (redaction) every candidate is returned.
    `contents` (each path's whole text, as lines) lets a digest be recognised by the key it is under
    (`"sha256": {"gz": "b3ee…"}`), not only by its own line.
    """
    with _LOCK:
        return list(_scan([(path, list(lines)) for path, lines in files], tests, contents or {}))


def looks_fake(value: str, in_tests: bool) -> bool:
    """A documented example key anywhere; in test code also a value no real credential would be."""
    if any(marker in value for marker in EXAMPLE_KEYS):
        return True
    lowered = value.lower()
    return in_tests and (any(word in lowered for word in FAKE_WORDS) or len(set(value)) <= 2)


def is_published_digest(value: str, line: str) -> bool:
    """`CHECKSUM="b7a4…"` (64 hex digits), `"integrity": "sha512-fRa0…=="` (64 bytes in base64): a digest
    the line names as one, not a credential."""
    return DIGEST_WORDS.search(line) is not None and digest_shaped(value)


def digest_shaped(value: str) -> bool:
    """A value of a digest's length: hex digits, or base64 (with an SRI `sha512-` prefix or without)."""
    if len(value) in DIGEST_LENGTHS and HEX.fullmatch(value):
        return True
    value = SRI_PREFIX.sub("", value)
    return BASE64.fullmatch(value) is not None and len(value) % 4 == 0 and _base64_bytes(value) in DIGEST_BYTES


# Files a package manager writes: their random-looking values are the checksums of published packages
# (mix.lock's `"cc5212…"` after the version, go.sum's `h1:…=`), whatever words the line holds.
LOCK_FILES = frozenset({"mix.lock", "go.sum", "yarn.lock", "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml",
                        "poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "Cargo.lock", "Gemfile.lock",
                        "composer.lock", "flake.lock", "Package.resolved", "pubspec.lock", "bun.lock"})  # fmt: skip


def in_lock_file(path: str) -> bool:
    return PurePosixPath(path).name in LOCK_FILES


# Travis CI's `secure:` values are ciphertext (`travis encrypt` seals them with the repository's public key;
# only Travis holds the private one): committing them is how the secret is meant to be kept.
_TRAVIS_SECURE = re.compile(r"^\s*(?:-\s*)?secure\s*:\s*[\"']?[A-Za-z0-9+/=]+[\"']?\s*$")


def encrypted_for_ci(path: str, line: str) -> bool:
    """A `secure: "…"` value in `.travis.yml` (twisted/constantly's deploy password): encrypted, not a secret."""
    return PurePosixPath(path).name == ".travis.yml" and _TRAVIS_SECURE.match(line) is not None


def _base64_bytes(value: str) -> int:
    return len(value) // 4 * 3 - value.count("=")


def _whole(file: SourceFile, added: Sequence[tuple[int, str]]) -> list[str]:
    """The file's lines; from a diff alone, its added lines at their numbers (the rest blank)."""
    if file.content is not None:
        return file.content.splitlines()
    lines = [""] * max((number for number, _ in added), default=0)
    for number, text in added:
        lines[number - 1] = text
    return lines


def enclosing_line(lines: Sequence[str], number: int, reach: int = 1000) -> str:
    """The nearest line above line `number` that is indented less than it: its key in JSON or YAML; "" if none
    within `reach` lines (a map of 30 release tarballs under `"sha256": {` is still under its key)."""
    if not 0 < number <= len(lines):
        return ""
    own = lines[number - 1]
    indent = len(own) - len(own.lstrip())
    for text in reversed(lines[max(number - 1 - reach, 0):number - 1]):
        if text.strip() and len(text) - len(text.lstrip()) < indent:
            return text
    return ""


def _scan(files: list[tuple[str, list[tuple[int, str]]]], tests: frozenset[str] | None,
          contents: Mapping[str, Sequence[str]]) -> Iterator[Finding]:
    scan_lines, settings_for_scan, plugin_classes = _detect_secrets()
    with settings_for_scan() as settings:
        settings.disable_filters(*_DISABLED_FILTERS)
        plugin_names = {kind: cls.__name__ for kind, cls in plugin_classes().items()}
        for path, lines in files:
            text = dict(lines)
            for secret in scan_lines(lines, filename=path):
                value = secret.secret_value or ""
                if tests is not None and looks_fake(value, path in tests):
                    continue
                if secret.type == "Secret Keyword" and _describing(text.get(secret.line_number, ""), value):
                    continue
                if is_published_digest(value, text.get(secret.line_number, "")) or is_published_digest(
                        value, enclosing_line(contents.get(path, ()), secret.line_number)):
                    continue
                if in_lock_file(path) and digest_shaped(value):
                    continue
                if encrypted_for_ci(path, text.get(secret.line_number, "")):
                    continue
                yield secret_finding(path, secret.line_number, secret.type, plugin_names.get(secret.type, "default"),
                                     value, identity(value, text, secret.line_number))  # fmt: skip


def _describing(line: str, value: str) -> bool:
    """A keyword match that is no credential: a sudoers `NOPASSWD:` tag, a workflow's `secrets: inherit`
    (zizmor weighs what it hands on), or a value beside a name that
    describes a secret (`secret_type == "actions"`, reviewbot.analyzers.secretnames)."""
    if SUDOERS_TAG.search(line) or SECRETS_INHERIT.match(line):
        return True
    name = named_beside(line, value)
    return name is not None and describes_a_secret(name)


def _detect_secrets():
    """detect-secrets' line scanner, default settings and plugin table, or an AnalyzerError saying what to install.

    The line scanner is the step detect-secrets' own `scan_diff` runs for each
    file of a diff (with its filters); it is not public API, hence the check.
    """
    try:
        from detect_secrets.core import scan
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
        from detect_secrets.settings import default_settings
    except ImportError:
        raise AnalyzerError(f"detect-secrets is not installed; {INSTALL}") from None
    scan_lines = getattr(scan, "_process_line_based_plugins", None)
    if scan_lines is None:
        raise AnalyzerError(f"this detect-secrets version cannot scan diff lines; {INSTALL}")
    return scan_lines, default_settings, get_mapping_from_secret_type_to_class


def identity(value: str, lines: dict[int, str], line: int) -> str:
    """What makes a secret the same one before and after a change: its value, and for a key block the
    whole block. Every OpenSSH or PEM private key starts with the same line, so the line's text would
    make a new key look like the old one it replaced."""
    block = [value]
    if "PRIVATE KEY" in lines.get(line, ""):
        for number in range(line, line + MAX_KEY_LINES):
            if number not in lines:
                break
            block.append(lines[number])
            if "-----END" in lines[number]:
                break
    return "secret " + hashlib.sha256("\n".join(block).encode()).hexdigest()[:32]


def secret_finding(path: str, line: int, kind: str, plugin: str, value: str, match: str | None = None) -> Finding:
    """The finding for one detected secret; `value` is used only to decide what may be shown, `match` is
    its `identity` (what a pre-existing finding is recognised by)."""
    shown = masked(value, plugin)
    default = (f"Possible secret committed: {kind}", f"what looks like a secret: {KIND_NAMES.get(kind, kind)}", HINT)
    title, what, hint = NOT_CREDENTIALS.get(plugin, default)
    return Finding(
        path=path,
        line=line,
        end_line=None,
        analyzer=NAME,
        rule=plugin,
        message=f"This line adds {what}{f' ({shown})' if shown else ''}.",
        severity=Severity.ERROR,
        title=title,
        hint=hint,
        facts={"kind": KIND_NAMES.get(kind, kind), **({"shown": shown} if shown else {})},
        match_text=match,
        listed_as=TEMPORARY_KEY if plugin == "AWSKeyDetector" and value.startswith("ASIA") else None,
    )


# An `ASIA…` key ID belongs to temporary credentials from AWS STS, which expire within hours (at most 36)
# and grant nothing without their secret and session token (simonw/s3-credentials's sample output).
TEMPORARY_KEY = "naming temporary credentials (an `ASIA` key ID expires within hours)"


def masked(value: str, plugin: str) -> str | None:
    """At most the first four characters, and only of long values; None when nothing may be shown."""
    if plugin in NEVER_SHOWN or len(value) < MASK_MIN_LENGTH:
        return None
    return value[:MASK_PREFIX] + "…"


def one_per_line(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the most specific detector per line (an AWS key beats "high entropy string")."""
    best: dict[tuple[str, int], Finding] = {}
    for finding in findings:
        key = (finding.path, finding.line)
        if key not in best or _specificity(finding) > _specificity(best[key]):
            best[key] = finding
    return sorted(best.values(), key=lambda f: (f.path, f.line))


def _specificity(finding: Finding) -> tuple[int, str]:
    generic = GENERIC.index(finding.rule) if finding.rule in GENERIC else -1
    return (-generic if generic >= 0 else 1, finding.rule)
