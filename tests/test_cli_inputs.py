"""Reading post-change files for a diff: trust a file only when it matches the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewbot.cli import inputs
from reviewbot.diffmodel import parse_diff
from reviewbot.errors import InputError


@pytest.fixture
def real_diff(git_repo):
    """`git diff` output for a change from `before` to `after` (None deletes a file)."""

    def make(before: dict[str, bytes], after: dict[str, bytes | None]) -> bytes:
        for name, data in before.items():
            git_repo.write(name, data)
        git_repo.commit("before")
        for name, data in after.items():
            git_repo.delete(name) if data is None else git_repo.write(name, data)
        git_repo.git("add", "-A")
        return git_repo.diff("--cached", raw=True)

    return make


def contents_for(tmp_path: Path, diff_bytes: bytes, files: dict[str, bytes]) -> inputs.Contents:
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    for name, data in files.items():
        (root / name).write_bytes(data)
    (tmp_path / "change.diff").write_bytes(diff_bytes)
    source = inputs.from_file(str(tmp_path / "change.diff"), root)
    return inputs.read_contents(inputs.parse(source), source)


BEFORE = b"a = 1\nb = 2\nc = 3\n"
AFTER = b"a = 1\nb = 20\nc = 3\nd = 4\n"


def test_matching_file_is_used(tmp_path: Path, real_diff) -> None:
    diff = real_diff({"m.py": BEFORE}, {"m.py": AFTER})
    contents = contents_for(tmp_path, diff, {"m.py": AFTER})
    assert contents.text == {"m.py": AFTER.decode()} and contents.reasons == {}


def test_crlf_file_matches_its_diff(tmp_path: Path, real_diff) -> None:
    before, after = BEFORE.replace(b"\n", b"\r\n"), AFTER.replace(b"\n", b"\r\n")
    diff = real_diff({"m.py": before}, {"m.py": after})
    assert contents_for(tmp_path, diff, {"m.py": after}).text["m.py"] == after.decode()


def test_a_changed_context_line_is_a_mismatch(tmp_path: Path, real_diff) -> None:
    diff = real_diff({"m.py": BEFORE}, {"m.py": AFTER})
    contents = contents_for(tmp_path, diff, {"m.py": b"a = 1\nb = 20\nc = 30\nd = 4\n"})
    assert contents.text == {"m.py": None}
    assert contents.reasons["m.py"].endswith("does not match the diff at line 3")


def test_a_file_shorter_than_the_diff_is_a_mismatch(tmp_path: Path, real_diff) -> None:
    diff = real_diff({"m.py": BEFORE}, {"m.py": AFTER})
    contents = contents_for(tmp_path, diff, {"m.py": b"a = 1\nb = 20\n"})
    assert contents.reasons["m.py"].endswith("does not match the diff at line 3")


def test_missing_binary_and_non_utf8_files(tmp_path: Path, real_diff) -> None:
    diff = real_diff(
        {"gone.py": b"x = 1\n", "bin.py": b"y = 1\n", "latin.py": b"z = 1\n"},
        {"gone.py": b"x = 2\n", "bin.py": b"y = 2\n", "latin.py": b"z = 2\n"},
    )
    contents = contents_for(tmp_path, diff, {"bin.py": b"y = 2\n\x00", "latin.py": b"z = 2\n# caf\xe9\n"})
    assert contents.text == {"gone.py": None, "bin.py": None, "latin.py": None}
    assert contents.reasons == {
        "gone.py": "gone.py is not in --root " + str(tmp_path / "root"),
        "bin.py": "binary content",
        "latin.py": "not UTF-8 text (byte 11)",
    }


def test_deleted_files_need_no_content(tmp_path: Path, real_diff) -> None:
    diff = real_diff({"old.py": b"x = 1\n"}, {"old.py": None})
    contents = contents_for(tmp_path, diff, {})
    assert contents.text == {"old.py": None} and contents.reasons == {}


def test_paths_outside_the_root_are_never_read(tmp_path: Path) -> None:
    (tmp_path / "secret.py").write_text("x = 2\n")
    diff = b"--- a/../secret.py\n+++ b/../secret.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n"
    contents = contents_for(tmp_path, diff, {})
    assert contents.text == {"../secret.py": None}


def test_first_mismatch_checks_added_and_context_lines() -> None:
    diff = parse_diff("--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n keep\n-old\n+new\n")
    file = diff.files[0]
    assert inputs.first_mismatch(file, "keep\nnew\n") is None
    assert inputs.first_mismatch(file, "kept\nnew\n") == 1
    assert inputs.first_mismatch(file, "keep\nold\n") == 2


def test_binary_data_is_not_a_diff() -> None:
    source = inputs.Source("x.bin", b"\x00\x01", lambda p: None, True, "here")
    with pytest.raises(InputError, match=r"^x\.bin: binary data, not a diff$"):
        inputs.parse(source)


def test_with_reasons() -> None:
    reasons = {"a.py": "the file in --root x does not match the diff at line 3"}
    assert inputs.with_reasons("post-change content not available", "a.py", reasons) == (
        "post-change content not available (the file in --root x does not match the diff at line 3)"
    )
    assert inputs.with_reasons("deleted", "b.py", reasons) == "deleted"


def test_missing_stdin_reads_as_empty(tmp_path: Path) -> None:
    assert inputs.from_stream(None, tmp_path).data == b""


def test_unreadable_stdin(tmp_path: Path) -> None:
    class Broken:
        def read(self) -> bytes:
            raise OSError(5, "Input/output error")

    with pytest.raises(InputError, match=r"^stdin: cannot read: Input/output error$"):
        inputs.from_stream(Broken(), tmp_path)  # type: ignore[arg-type]


# --- paths no file system can hold: exit 2 with one line naming the path, never a crash ---


def _new_file_diff(quoted_path: str) -> bytes:
    return (
        f"diff --git {quoted_path.replace('PFX', 'a')} {quoted_path.replace('PFX', 'b')}\n"
        "new file mode 100644\n--- /dev/null\n"
        f"+++ {quoted_path.replace('PFX', 'b')}\n@@ -0,0 +1 @@\n+a = 1\n"
    ).encode()


@pytest.mark.parametrize(
    ("quoted", "message"),
    [
        ('"PFX/x\\000y.py"', "change.diff: path 'x\\x00y.py' contains a NUL byte, which no file name can\n"),
        ("PFX/" + "n" * 256 + ".py", "change.diff: path '" + "n" * 256 + ".py' has a name of 259 bytes"),
        ('"PFX/d/' + "\\303\\251" * 128 + '"', "has a name of 256 bytes (file systems allow at most 255)"),
    ],
    ids=["c-quoted NUL", "long ASCII name", "long UTF-8 name"],
)
def test_impossible_paths_exit_2_with_one_line(tmp_path: Path, monkeypatch, capsys, quoted: str, message: str) -> None:
    from reviewbot.cli.main import main

    (tmp_path / "change.diff").write_bytes(_new_file_diff(quoted))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "change.diff"], env={}) == 2
    err = capsys.readouterr().err
    assert err.startswith("reviewbot: error: ") and err.count("\n") == 1
    assert message in err


def test_a_name_of_255_bytes_is_fine(tmp_path: Path, monkeypatch, capsys) -> None:
    from reviewbot.cli.main import main

    (tmp_path / "change.diff").write_bytes(_new_file_diff("PFX/" + "n" * 252 + ".py"))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "change.diff"], env={}) == 0
