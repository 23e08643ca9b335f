"""What the model sees beyond the hunks: the file list, declared runtime versions, enclosing blocks."""

from __future__ import annotations

import json

from reviewbot.diffmodel import parse_diff
from reviewbot.llm.context import enclosing, file_list, indented_headers, python_blocks, read_from, runtime_versions


def test_file_list_names_every_file_with_status_and_counts(git_diff) -> None:
    diff, _ = git_diff({"a.py": "x = 1\ny = 2\n", "old.py": "z = 1\n"},
                       {"a.py": "x = 10\ny = 2\nw = 3\n", "old.py": None, "new\nname.py": "q = 1\n"})
    listed = file_list(parse_diff(diff), lambda path: False).splitlines()
    assert "a.py (modified, +2 -1)" in listed and "old.py (deleted, +0 -1)" in listed
    assert "new\\nname.py (added, +1 -0)" in listed  # a newline in a name never starts a line
    assert file_list(parse_diff(diff), lambda path: path == "a.py").count("a.py") == 0


def test_runtime_versions_from_the_usual_manifests() -> None:
    files = {
        "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.8"\n',
        "package.json": json.dumps({"name": "x", "engines": {"node": ">=18"}}),
        "go.mod": "module example.com/x\n\ngo 1.21\n",
        "pom.xml": "<project><properties><maven.compiler.release>17</maven.compiler.release></properties></project>",
        "setup.cfg": "[options]\npython_requires = >=3.7\n",
    }
    versions = runtime_versions(read_from(files)).splitlines()
    assert versions == ["Python >=3.8 (pyproject.toml)", "Python >=3.7 (setup.cfg)", "node >=18 (package.json)",
                        "Go 1.21 (go.mod)", "Java 17 (pom.xml)"]


def test_a_malformed_manifest_declares_nothing_and_the_change_wins_over_the_base() -> None:
    base = {"pyproject.toml": '[project]\nrequires-python = ">=3.9"\n', "package.json": "{not json"}
    change = {"pyproject.toml": '[project]\nrequires-python = ">=3.11"\n'}
    assert runtime_versions(read_from(change, base)) == "Python >=3.11 (pyproject.toml)"
    assert runtime_versions(read_from({}, None)) == ""


SOURCE = '''import functools


class Cache:
    """A cache."""

    @functools.wraps(print)
    def get(self, key):
        value = self.data.get(key)
        return value


def long():
''' + "".join(f"    x{i} = {i}\n" for i in range(60))


def test_python_blocks_include_decorators_and_nest() -> None:
    blocks = python_blocks(SOURCE)
    assert blocks is not None
    around = enclosing(blocks, 9, 9)
    assert [(b.start, b.end) for b in around] == [(4, 10), (7, 10)]
    assert around[1].header_end == 8
    assert python_blocks("def broken(:\n") is None


def test_indentation_finds_the_opening_lines_in_other_languages() -> None:
    js = ["export class Store {", "  constructor() {", "    this.items = [];", "  }", "",
          "  async load(id) {", "    const row = await db.get(id);", "    return row;", "  }", "}"]
    assert indented_headers(js, 7) == [1, 6]
    go = ["package main", "", "func handle(w http.ResponseWriter, r *http.Request) {", "\tid := r.URL.Query()",
          "\tif id == \"\" {", "\t\treturn", "\t}", "}"]
    assert indented_headers(go, 6) == [3]  # an if is not a function or class
    java = ["public class Cart {", "    public int total(List<Item> items) {", "        if (items.isEmpty()) {",
            "            return 0;", "        }", "        return sum(items);", "    }", "}"]
    assert indented_headers(java, 4) == [1, 2]
