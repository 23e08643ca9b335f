"""hadolint for Dockerfiles (`Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, `Containerfile`).

hadolint also runs shellcheck on every RUN instruction (its `SC` codes). reviewbot
hands it a configuration file it wrote (`-c`), so a `.hadolint.yaml` in the change
is never read, and `--disable-ignore-pragma` so a `# hadolint ignore=` comment the
change adds cannot silence its own review. Only the codes in
`rules/hadolint.rules.toml` are reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from reviewbot.analyzers.external import Hit, line_of, shorten
from reviewbot.analyzers.languages import is_dockerfile
from reviewbot.review.analyzer import SourceFile

CONFIG_NAME = ".reviewbot-hadolint.yaml"
_IMAGE = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)", re.IGNORECASE)


class HadolintSpec:
    name = "hadolint"
    tool = "hadolint"
    language = "Dockerfile"
    install = "pip install 'reviewbot[languages]'"
    ok_codes = (0, 1)
    timeout = 30.0  # seconds for one run over all selected files

    def selects(self, file: SourceFile) -> bool:
        return is_dockerfile(file.path)

    def config(self, rules: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
        return {CONFIG_NAME: "failure-threshold: none\nno-color: true\n"}

    def argv(self, executable: str, paths: Sequence[str], rules: Sequence[str]) -> list[str]:
        return [executable, "-c", CONFIG_NAME, "--disable-ignore-pragma", "--no-fail", "-f", "json", *paths]

    def parse(self, stdout: str, texts: Mapping[str, str]) -> list[Hit]:
        return [_hit(item, texts) for item in json.loads(stdout or "[]")]


def _hit(item: Mapping[str, object], texts: Mapping[str, str]) -> Hit:
    path, line, code = str(item["file"]), int(item["line"]), str(item["code"])  # type: ignore[call-overload]
    source = line_of(texts.get(path, ""), line)
    facts = {"value": shorten(source)} if source.strip() else {}
    image = _IMAGE.match(source)
    if image:
        facts["name"] = image.group(1)
    url = f"https://github.com/hadolint/hadolint/wiki/{code}" if code.startswith("DL") else f"https://www.shellcheck.net/wiki/{code}"
    return Hit(path=path, line=line, rule=code, message=str(item["message"]), url=url, facts=facts)
