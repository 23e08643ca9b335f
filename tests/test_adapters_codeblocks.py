"""Enclosing blocks of non-Python files from the real ast-grep, and what the LLM reviewer shows with them."""

from __future__ import annotations

import pytest

from reviewbot.adapters import codeblocks
from reviewbot.adapters.codeblocks import LANGUAGES, find_blocks, language_of
from reviewbot.llm.context import Block

TS = """export class Cart {
  total(
    items: Item[],
  ): number {
    return items.reduce((s, i) => s + i.price, 0);
  }
}
export const load = async (path: string) => {
  return fetch(path);
};
"""
GO = "package m\n\ntype T struct{ x int }\n\nfunc (t *T) Get(\n\tk string,\n) int {\n\treturn t.x\n}\n"
JAVA = "class A {\n  @Override\n  public int get(\n      int k) {\n    return k;\n  }\n}\n"
RUST = "struct S { a: i32 }\nimpl S {\n    fn get(&self) -> i32 {\n        self.a\n    }\n}\n"


def test_each_language_gives_its_declarations_with_their_headers() -> None:
    found = find_blocks({"web/cart.ts": TS, "m.go": GO, "A.java": JAVA, "src/s.rs": RUST, "app.py": "def f(): pass\n",
                         "gone.js": None})
    assert found["web/cart.ts"] == [Block(1, 1, 7), Block(2, 4, 6), Block(8, 8, 10)]
    assert found["m.go"] == [Block(3, 3, 3), Block(5, 7, 9)]
    assert found["A.java"] == [Block(1, 1, 7), Block(2, 4, 6)]  # the annotation belongs to the method
    assert found["src/s.rs"] == [Block(1, 1, 1), Block(2, 2, 6), Block(3, 3, 5)]
    assert set(found) == {"web/cart.ts", "m.go", "A.java", "src/s.rs"}  # Python is ast's; None has no text


def test_every_language_rule_is_accepted_by_ast_grep() -> None:
    samples = {"typescript": "function f() {}\n", "tsx": "function F() { return <b/>; }\n",
               "javascript": "function f() {}\n", "go": "package m\nfunc f() {}\n",
               "java": "class A { void f() {} }\n", "rust": "fn f() {}\n"}
    assert set(samples) == set(LANGUAGES)
    texts = {f"x{LANGUAGES[name].suffixes[0]}": text for name, text in samples.items()}
    found = find_blocks(texts)
    assert set(found) == set(texts)  # one bad rule would fail the whole run and give nothing


def test_a_configuration_in_the_change_is_never_read() -> None:
    hostile = "ruleDirs:\n  - evil\nutilDirs:\n  - evil\n"
    assert find_blocks({"sgconfig.yml": hostile, "m.go": GO})["m.go"][-1] == Block(5, 7, 9)


def test_without_ast_grep_there_are_no_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codeblocks, "find_tool", lambda name: None)
    assert find_blocks({"m.go": GO}) == {}


def test_a_failing_run_gives_no_blocks(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    broken = tmp_path / "ast-grep"
    broken.write_text("#!/bin/sh\necho 'not json'\n")
    broken.chmod(0o755)
    monkeypatch.setattr(codeblocks, "find_tool", lambda name: str(broken))
    assert find_blocks({"m.go": GO}) == {}


def test_languages_by_suffix() -> None:
    assert (language_of("a/b.TSX"), language_of("x.mjs"), language_of("x.py"), language_of("Makefile")) == (
        "tsx", "javascript", None, None)


def test_the_reviewer_shows_a_go_hunk_inside_its_function(git_diff) -> None:
    from reviewbot.diffmodel import parse_diff
    from reviewbot.llm.prepare import file_rows

    body = "".join(f"\tv{i} := {i}\n" for i in range(60))
    before = f"package m\n\nfunc Long(\n\tk string,\n) int {{\n{body}\treturn 0\n}}\n"
    after = before.replace("\tv20 := 20\n", "\tv20 := 21\n")
    diff_text, contents = git_diff({"m.go": before}, {"m.go": after})
    file = parse_diff(diff_text).file("m.go")
    lines = contents["m.go"].splitlines()
    shown = [row.number for _, rows in file_rows(file, lines, 2, find_blocks(contents)["m.go"]) for row in rows]
    assert shown[:4] == [3, 4, 5, None]  # the signature over three lines, then the gap row
    by_indent = [row.number for _, rows in file_rows(file, lines, 2) for row in rows]
    assert 4 not in by_indent  # indentation alone finds only the first line of the signature
