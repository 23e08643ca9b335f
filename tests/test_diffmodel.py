"""The diff model, tested on output of real `git diff` and `diff -u`.

Line maps are checked against hand-worked expectations and against unidiff's
own full parse; malformed input must raise DiffParseError naming the line.
"""

from __future__ import annotations

import copy
import pickle
import random
import subprocess
from dataclasses import replace

import pytest

from reviewbot.diffmodel import Diff, DiffLine, FileDiff, FileStatus, Hunk, parse_diff
from reviewbot.errors import DiffParseError, InputError
from reviewbot.models import Side

FORTY = "".join(f"l{n}\n" for n in range(1, 41))


def rows(hunk: Hunk) -> list[tuple]:
    return [(line.kind, line.old, line.new, line.text) for line in hunk.lines]


def commentable(file: FileDiff, side: Side, upto: int = 120) -> set[int]:
    return {n for n in range(-2, upto) if file.contains(n, side)}


def only(diff: Diff) -> FileDiff:
    assert len(diff) == 1, diff.paths
    return diff.files[0]


@pytest.fixture
def three_hunks(git_repo):
    """f.txt: l1..l40, then l5 deleted, l20 replaced by "twenty", "inserted" added after l35."""
    git_repo.write("f.txt", FORTY)
    git_repo.commit()
    edited = FORTY.replace("l5\n", "").replace("l20\n", "twenty\n").replace("l35\n", "l35\ninserted\n")
    git_repo.write("f.txt", edited)
    return git_repo.diff()


# --- exact line maps -----------------------------------------------------------------


def test_hunk_boundaries_and_numbers_match_the_edit(three_hunks):
    file = only(parse_diff(three_hunks))
    assert (file.path, file.old_path, file.status, file.is_binary) == ("f.txt", None, FileStatus.MODIFIED, False)
    # git's default section heading is the nearest line above that starts with a letter
    assert [h.header for h in file.hunks] == ["@@ -2,7 +2,6 @@ l1", "@@ -17,7 +16,7 @@ l16", "@@ -33,6 +32,7 @@ l32"]
    assert rows(file.hunks[1]) == [
        (" ", 17, 16, "l17"), (" ", 18, 17, "l18"), (" ", 19, 18, "l19"),
        ("-", 20, None, "l20"), ("+", None, 19, "twenty"),
        (" ", 21, 20, "l21"), (" ", 22, 21, "l22"), (" ", 23, 22, "l23"),
    ]
    assert file.added_lines == {19, 35} and file.deleted_lines == {5, 20}
    assert file.changed_line_count == 4


def test_contains_follows_githubs_rule_exactly(three_hunks):
    file = only(parse_diff(three_hunks))
    # RIGHT: new numbers of added and context lines; lines just outside a hunk are not in the diff
    assert commentable(file, Side.RIGHT) == {*range(2, 8), *range(16, 23), *range(32, 39)}
    # LEFT: old numbers of deleted and context lines
    assert commentable(file, Side.LEFT) == {*range(2, 9), *range(17, 24), *range(33, 39)}
    for outside in (1, 8, 15, 23, 31, 39):
        assert not file.contains(outside, Side.RIGHT)
    assert file.contains(5, "LEFT") and file.contains(5, "RIGHT") and not file.contains(8, "RIGHT")
    assert file.hunk_at(19) is file.hunks[1] and file.hunk_at(20, Side.LEFT) is file.hunks[1]
    assert file.hunk_at(8, Side.RIGHT) is None and file.hunk_at(8, Side.LEFT) is file.hunks[0]


def test_added_text_is_only_for_added_lines(three_hunks):
    file = only(parse_diff(three_hunks))
    assert file.added_text(19) == "twenty" and file.added_text(35) == "inserted"
    assert file.added_text(20) is None and file.added_text(5) is None and file.added_text(400) is None


def test_diff_level_queries(three_hunks):
    diff = parse_diff(three_hunks)
    assert diff.contains("f.txt", 19, Side.RIGHT) and diff.contains("f.txt", 20, Side.LEFT)
    assert not diff.contains("f.txt", 1) and not diff.contains("other.txt", 19)
    assert diff.file("f.txt") is diff.files[0] and diff.file("nope") is None
    assert list(diff) == list(diff.files) and len(diff) == 1 and diff.paths == ("f.txt",)
    assert diff.changed_line_count == 4


def test_an_unknown_side_is_refused(three_hunks):
    file = only(parse_diff(three_hunks))
    with pytest.raises(ValueError, match="RIGHT or LEFT"):
        file.contains(19, "right")


def test_hunk_level_queries(three_hunks):
    hunk = only(parse_diff(three_hunks)).hunks[2]
    assert hunk.new_range == range(32, 39) and hunk.old_range == range(33, 39)
    assert hunk.contains(38) and not hunk.contains(39) and hunk.contains(38, Side.LEFT)
    assert hunk.added_lines == {35} and hunk.deleted_lines == frozenset()


def test_section_heading_is_kept(git_repo):
    body = "def first():\n" + "".join(f"    x{n} = {n}\n" for n in range(12))
    git_repo.write("m.py", body)
    git_repo.commit()
    git_repo.write("m.py", body.replace("x9 = 9", "x9 = 99"))
    hunk = only(parse_diff(git_repo.diff())).hunks[0]
    assert hunk.section == "def first():" and hunk.header.endswith("@@ def first():")


def test_zero_context_hunks_have_empty_sides(git_repo):
    git_repo.write("f.txt", FORTY)
    git_repo.commit()
    git_repo.write("f.txt", FORTY.replace("l10\n", "l10\nnew-a\nnew-b\n").replace("l30\n", ""))
    file = only(parse_diff(git_repo.diff("-U0")))
    assert [h.header[:18] for h in file.hunks] == ["@@ -10,0 +11,2 @@ ", "@@ -30,1 +31,0 @@ "]
    assert commentable(file, Side.RIGHT) == {11, 12} and commentable(file, Side.LEFT) == {30}
    assert file.added_text(11) == "new-a"


def test_lines_agree_with_unidiffs_full_parse_on_random_edits(git_repo):
    from unidiff import PatchSet

    rnd = random.Random(1234)
    words = ["alpha", "beta", "gamma", "", "}", "return x", "pass"]
    original = [rnd.choice(words) for _ in range(300)]
    git_repo.write("r.txt", "\n".join(original) + "\n")
    git_repo.commit()
    for round_ in range(12):
        edited = list(original)
        for _ in range(rnd.randint(1, 25)):
            at = rnd.randrange(len(edited))
            action = rnd.choice(("insert", "delete", "replace"))
            if action == "insert":
                edited.insert(at, rnd.choice(words) + str(round_))
            elif action == "delete":
                del edited[at]
            else:
                edited[at] = rnd.choice(words) + "!"
        git_repo.write("r.txt", "\n".join(edited) + "\n")
        text = git_repo.diff(f"-U{rnd.choice((0, 1, 3, 5))}")
        file = only(parse_diff(text))
        expected = [[(l.line_type, l.source_line_no, l.target_line_no, l.value.rstrip("\n"))
                     for l in h if l.line_type in ("+", "-", " ")] for h in PatchSet(text)[0]]
        assert [rows(h) for h in file.hunks] == expected
        every = [row for hunk in expected for row in hunk]
        assert commentable(file, Side.RIGHT, 400) == {new for kind, _, new, _ in every if kind in "+ "}
        assert commentable(file, Side.LEFT, 400) == {old for kind, old, _, _ in every if kind in "- "}
        assert file.added_lines == {new for kind, _, new, _ in every if kind == "+"}
        assert {n: file.added_text(n) for n in file.added_lines} == {new: t for k, _, new, t in every if k == "+"}


# --- renames, copies, new and deleted files ----------------------------------------------


def test_pure_rename_has_no_hunks(git_repo):
    git_repo.write("old name.txt", FORTY)
    git_repo.commit()
    git_repo.move("old name.txt", "dir/new name.txt")
    text = git_repo.diff("--cached", "-M")
    assert "similarity index 100%" in text
    file = only(parse_diff(text))
    assert (file.path, file.old_path, file.status, file.hunks) == ("dir/new name.txt", "old name.txt",
                                                                    FileStatus.RENAMED, ())
    assert not file.contains(1) and not file.contains(1, Side.LEFT) and file.changed_line_count == 0


def test_rename_with_edits_maps_lines_in_the_new_file(git_repo):
    git_repo.write("a.txt", FORTY)
    git_repo.commit()
    git_repo.move("a.txt", "b.txt")
    git_repo.write("b.txt", FORTY.replace("l20\n", "twenty\n"))
    file = only(parse_diff(_staged(git_repo, "-M")))
    assert (file.path, file.old_path, file.status) == ("b.txt", "a.txt", FileStatus.RENAMED)
    assert file.added_lines == {20} and file.deleted_lines == {20} and file.added_text(20) == "twenty"
    assert commentable(file, Side.RIGHT) == set(range(17, 24))


def test_without_rename_detection_a_rename_is_a_delete_and_an_add(git_repo):
    git_repo.write("a.txt", "x\n")
    git_repo.commit()
    git_repo.move("a.txt", "b.txt")
    diff = parse_diff(git_repo.diff("--cached", "--no-renames"))
    assert [(f.path, f.status) for f in diff] == [("a.txt", FileStatus.DELETED), ("b.txt", FileStatus.ADDED)]


def test_copies(git_repo):
    git_repo.write("orig.py", FORTY)
    git_repo.commit()
    git_repo.write("copy.py", FORTY)
    git_repo.write("edited copy.py", FORTY.replace("l1\n", "first\n"))
    git_repo.write("orig.py", FORTY.replace("l40\n", "last\n"))
    diff = parse_diff(_staged(git_repo, "-C", "-C"))
    copy_ = diff.file("copy.py")
    assert (copy_.old_path, copy_.status, copy_.hunks) == ("orig.py", FileStatus.COPIED, ())
    edited = diff.file("edited copy.py")
    assert (edited.old_path, edited.status, edited.added_lines) == ("orig.py", FileStatus.COPIED, {1})
    assert diff.file("orig.py").status is FileStatus.MODIFIED and diff.file("orig.py").added_lines == {40}


def _staged(repo, *args: str) -> str:
    repo.git("add", "-A")
    return repo.diff("--cached", *args)


def test_new_and_deleted_files(git_repo):
    git_repo.write("gone.txt", "a\nb\n")
    git_repo.commit()
    git_repo.delete("gone.txt")
    git_repo.write("born.sh", "#!/bin/sh\necho hi\n", executable=True)
    git_repo.write("empty.txt", "")
    diff = parse_diff(_staged(git_repo))
    gone, born, empty = diff.file("gone.txt"), diff.file("born.sh"), diff.file("empty.txt")
    assert (gone.status, gone.old_mode, gone.new_mode, gone.deleted_lines) == (FileStatus.DELETED, "100644", None, {1, 2})
    assert commentable(gone, Side.RIGHT) == set() and commentable(gone, Side.LEFT) == {1, 2}
    assert (born.status, born.old_mode, born.new_mode, born.added_lines) == (FileStatus.ADDED, None, "100755", {1, 2})
    assert commentable(born, Side.LEFT) == set() and born.added_text(2) == "echo hi"
    assert (empty.status, empty.hunks, empty.old_path) == (FileStatus.ADDED, (), None)


# --- binary files and modes ----------------------------------------------------------------


@pytest.mark.parametrize("option", ["--no-binary", "--binary"])
def test_binary_files(git_repo, option):
    git_repo.write("img.png", b"\x89PNG\r\n\x1a\n\x00\x01")
    git_repo.write("a.txt", "a\n")
    git_repo.commit()
    git_repo.write("img.png", b"\x89PNG\r\n\x1a\n\x00\x02" * 50)
    git_repo.write("new.bin", bytes(range(256)))
    git_repo.write("a.txt", "b\n")
    text = _staged(git_repo, *(["--binary"] if option == "--binary" else []))
    assert ("GIT binary patch" in text) == (option == "--binary")
    diff = parse_diff(text)
    assert diff.paths == ("a.txt", "img.png", "new.bin")
    img, new = diff.file("img.png"), diff.file("new.bin")
    assert (img.is_binary, img.status, img.hunks) == (True, FileStatus.MODIFIED, ())
    assert (new.is_binary, new.status, new.new_mode) == (True, FileStatus.ADDED, "100644")
    assert diff.file("a.txt").added_lines == {1} and not diff.file("a.txt").is_binary


def test_mode_only_change(git_repo):
    git_repo.write("run.sh", "echo\n")
    git_repo.write("both.sh", "echo\n")
    git_repo.commit()
    git_repo.chmod("run.sh", executable=True)
    git_repo.write("both.sh", "echo 2\n", executable=True)
    diff = parse_diff(git_repo.diff())
    run, both = diff.file("run.sh"), diff.file("both.sh")
    assert (run.status, run.old_mode, run.new_mode, run.mode_changed, run.hunks) == (
        FileStatus.MODIFIED, "100644", "100755", True, ())
    assert both.mode_changed and both.added_lines == {1}
    assert not parse_diff(_three_line_change(git_repo)).files[0].mode_changed


def _three_line_change(repo) -> str:
    repo.write("plain.txt", "1\n2\n3\n")
    repo.commit()
    repo.write("plain.txt", "1\n2!\n3\n")
    return repo.diff()


def test_symlink_is_a_file_with_mode_120000(git_repo):
    (git_repo.path / "link").symlink_to("target.txt")
    diff = parse_diff(_staged(git_repo))
    link = only(diff)
    assert (link.new_mode, link.added_lines, link.added_text(1)) == ("120000", {1}, "target.txt")


# --- line endings and encodings ----------------------------------------------------------


def test_no_newline_at_end_of_file_marker_is_not_a_line(git_repo):
    git_repo.write("a.txt", "one\ntwo")
    git_repo.write("b.txt", "x\ny")
    git_repo.commit()
    git_repo.write("a.txt", "one\ntwo\nthree\n")
    git_repo.write("b.txt", "x\nz")
    text = git_repo.diff()
    assert text.count("\\ No newline at end of file") == 3
    diff = parse_diff(text)
    assert rows(diff.file("a.txt").hunks[0]) == [(" ", 1, 1, "one"), ("-", 2, None, "two"),
                                                  ("+", None, 2, "two"), ("+", None, 3, "three")]
    assert rows(diff.file("b.txt").hunks[0]) == [(" ", 1, 1, "x"), ("-", 2, None, "y"), ("+", None, 2, "z")]


def test_crlf_content_loses_only_the_line_ending(git_repo):
    git_repo.write("win.txt", "a\r\nb\r\n")
    git_repo.commit()
    git_repo.write("win.txt", "a\r\nB\rC\r\n")
    file = only(parse_diff(git_repo.diff()))
    assert rows(file.hunks[0]) == [(" ", 1, 1, "a"), ("-", 2, None, "b"), ("+", None, 2, "B\rC")]


def test_a_diff_converted_to_crlf_parses_like_the_original(three_hunks, git_repo):
    git_repo.write("win.txt", "a\r\nb\r\n")
    git_repo.commit()
    git_repo.write("win.txt", "a\r\nc\r\n")
    original = three_hunks + git_repo.diff("--", "win.txt")
    converted = parse_diff(original.replace("\n", "\r\n").encode())
    assert converted == parse_diff(original)
    assert converted.file("win.txt").added_text(2) == "c"


def test_non_utf8_content_survives_byte_for_byte(git_repo):
    git_repo.write("latin.txt", b"caf\xe9\n")
    git_repo.commit()
    git_repo.write("latin.txt", b"caf\xe9 cr\xe8me\n")
    raw = git_repo.diff(raw=True)
    file = only(parse_diff(raw))
    assert file.added_text(1).encode("utf-8", "surrogateescape") == b"caf\xe9 cr\xe8me"
    assert parse_diff(raw) == parse_diff(raw.decode("utf-8", "surrogateescape"))


def test_byte_order_marks(three_hunks):
    expected = parse_diff(three_hunks)
    assert parse_diff("\ufeff" + three_hunks) == expected
    assert parse_diff(three_hunks.encode("utf-16")) == expected
    with pytest.raises(DiffParseError, match="UTF-16") as err:
        parse_diff(b"\xff\xfe" + b"d\x00i\x00\x00")
    assert err.value.line == 1


# --- paths ---------------------------------------------------------------------------------

ODD_NAMES = ["été.txt", "dir with space/x y.txt", 'quote".txt', "back\\slash.txt", "tab\there.txt",
             "日本語/ファイル.md", "a b/ c.txt", "trailing space .txt"]


@pytest.mark.parametrize("quote_path", ["true", "false"])
def test_quoted_and_odd_paths_come_out_as_real_names(git_repo, quote_path):
    for name in ODD_NAMES:
        git_repo.write(name, "old\n")
    git_repo.commit()
    for name in ODD_NAMES:
        git_repo.write(name, "new\n")
    text = git_repo.git("-c", f"core.quotePath={quote_path}", "diff", "--no-color")
    if quote_path == "true":
        assert '"a/\\303\\251t\\303\\251.txt"' in text
    diff = parse_diff(text)
    assert sorted(diff.paths) == sorted(ODD_NAMES)
    assert all(f.added_lines == {1} and f.status is FileStatus.MODIFIED for f in diff)


def test_odd_paths_in_renames_new_and_deleted_files(git_repo):
    git_repo.write("é 1.txt", FORTY)
    git_repo.write("del é.txt", "x\n")
    git_repo.commit()
    git_repo.move("é 1.txt", "ü 2/ö 3.txt")
    git_repo.delete("del é.txt")
    git_repo.write("new\tü.txt", "n\n")
    diff = parse_diff(_staged(git_repo, "-M"))
    assert diff.file("ü 2/ö 3.txt").old_path == "é 1.txt"
    assert diff.file("del é.txt").status is FileStatus.DELETED
    assert diff.file("new\tü.txt").status is FileStatus.ADDED


def test_non_utf8_file_name(git_repo):
    git_repo.write(b"caf\xe9.txt", "x\n")
    git_repo.commit()
    git_repo.write(b"caf\xe9.txt", "y\n")
    text = git_repo.diff(raw=True)
    assert b'"a/caf\\351.txt"' in text
    assert only(parse_diff(text)).path.encode("utf-8", "surrogateescape") == b"caf\xe9.txt"


@pytest.mark.parametrize("options", [("--no-prefix",), ("--src-prefix=i/", "--dst-prefix=w/"),
                                     ("-c", "diff.mnemonicPrefix=true")])
def test_prefix_variants_give_the_same_files(git_repo, options):
    names = ["a/inside a.txt", "plain.txt", "with space.txt", "été.txt"]
    for name in names:
        git_repo.write(name, FORTY)
    git_repo.write("moved from.txt", FORTY)
    git_repo.write("gone.txt", "g\n")
    git_repo.commit()
    for name in names:
        git_repo.write(name, FORTY.replace("l7\n", "seven\n"))
    git_repo.move("moved from.txt", "moved to.txt")
    git_repo.delete("gone.txt")
    git_repo.write("new file.txt", "n\n")
    git_repo.git("add", "-A")
    reference = parse_diff(git_repo.diff("--cached", "-M"))
    if options[0] == "-c":
        text = git_repo.git(*options, "diff", "--no-color", "--cached", "-M", "HEAD")
    else:
        text = git_repo.diff("--cached", "-M", *options)
    assert parse_diff(text) == reference
    assert sorted(reference.paths) == sorted([*names, "moved to.txt", "gone.txt", "new file.txt"])


# --- other producers: diff -u, format-patch, git log -----------------------------------------


def test_plain_diff_u_with_timestamps(tmp_path, three_hunks):
    (tmp_path / "f.txt.orig").write_text(FORTY)
    edited = FORTY.replace("l5\n", "").replace("l20\n", "twenty\n").replace("l35\n", "l35\ninserted\n")
    (tmp_path / "f.txt").write_text(edited)
    text = _run_diff(tmp_path, "-u", "f.txt.orig", "f.txt")
    assert text.startswith("--- f.txt.orig\t")
    file = only(parse_diff(text))
    assert (file.path, file.status, file.old_path, file.old_mode) == ("f.txt", FileStatus.MODIFIED, None, None)
    assert [_span_and_rows(h) for h in file.hunks] == [_span_and_rows(h) for h in only(parse_diff(three_hunks)).hunks]
    assert all(h.section == "" for h in file.hunks)


def _span_and_rows(hunk: Hunk) -> tuple:
    return hunk.old_start, hunk.old_length, hunk.new_start, hunk.new_length, rows(hunk)


def test_recursive_diff_u_with_new_deleted_and_binary_files(tmp_path):
    for side, files in {"old": {"a.txt": b"1\n2\n3\n", "gone.txt": b"x\n", "b.bin": b"\x00a"},
                        "new": {"a.txt": b"1\n2b\n3\n", "added.txt": b"n\n", "b.bin": b"\x00b"}}.items():
        for name, data in files.items():
            (tmp_path / side).mkdir(exist_ok=True)
            (tmp_path / side / name).write_bytes(data)
    (tmp_path / "old" / "only-old.txt").write_text("o\n")
    text = _run_diff(tmp_path, "-ru", "old", "new")
    text += _run_diff(tmp_path, "-ruN", "old", "new")
    assert "Only in old: only-old.txt" in text and "Binary files old/b.bin and new/b.bin differ" in text
    diff = parse_diff(text)
    summary = [(f.path, f.status.value, f.is_binary, sorted(f.added_lines)) for f in diff]
    assert summary == [
        ("new/a.txt", "modified", False, [2]), ("new/b.bin", "modified", True, []),  # diff -ru
        ("new/a.txt", "modified", False, [2]), ("new/added.txt", "added", False, [1]),  # diff -ruN
        ("new/b.bin", "modified", True, []), ("old/gone.txt", "deleted", False, []),
        ("old/only-old.txt", "deleted", False, []),
    ]
    assert diff.file("old/gone.txt").deleted_lines == {1}


def test_diff_u_against_dev_null_and_a_b_prefixes(tmp_path):
    (tmp_path / "n.txt").write_text("a\nb\n")
    text = _run_diff(tmp_path, "-u", "/dev/null", "n.txt")
    file = only(parse_diff(text))
    assert (file.path, file.status, file.added_lines) == ("n.txt", FileStatus.ADDED, {1, 2})
    hg_style = "--- a/x.py\tThu Jan 01 00:00:00 1970 +0000\n+++ b/x.py\tThu Jan 01 00:00:00 1970 +0000\n" \
               "@@ -1,1 +1,1 @@\n-a\n+b\n"
    assert only(parse_diff(hg_style)).path == "x.py"


def _run_diff(cwd, *args: str) -> str:
    done = subprocess.run(["diff", *args], check=False, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    return done.stdout


def test_format_patch_email_and_mbox_of_several_patches(git_repo, three_hunks):
    git_repo.commit("first change\n\n@ mentions and +1 lines in the message\n+1 from me")
    git_repo.write("g.txt", "g\n")
    git_repo.commit("second")
    mbox = git_repo.git("format-patch", "--stdout", "HEAD~2")
    assert mbox.count("\n-- \n") == 2 and "Subject: [PATCH 1/2] first change" in mbox
    diff = parse_diff(mbox)
    assert diff.paths == ("f.txt", "g.txt")
    assert diff.file("f.txt") == only(parse_diff(three_hunks))


def test_git_log_patch_output(git_repo):
    git_repo.write("a.txt", "1\n")
    git_repo.commit("one")
    git_repo.write("a.txt", "1\n2\n")
    git_repo.commit("two")
    diff = parse_diff(git_repo.git("log", "-p", "--stat", "--no-color"))
    assert diff.paths == ("a.txt", "a.txt") and diff.files[0].added_lines == {2}


# --- empty and malformed input ------------------------------------------------------------


@pytest.mark.parametrize("empty", ["", "\n", "  \n\t\n", b"", b"\n"])
def test_empty_input_is_an_empty_diff(empty):
    diff = parse_diff(empty)
    assert diff == Diff(()) and len(diff) == 0 and not diff and diff.changed_line_count == 0


def test_an_empty_git_diff_is_an_empty_diff(git_repo):
    git_repo.write("a.txt", "a\n")
    git_repo.commit()
    assert parse_diff(git_repo.diff()) == Diff(())


@pytest.mark.parametrize("text", ["hello world\nthis is not a diff\n", "From abc\nSubject: x\n\nno patch here\n",
                                  "index abc..def 100644\n", b"\x00\x01\x02\xff"])
def test_text_without_a_diff_is_refused_at_line_1(text):
    with pytest.raises(DiffParseError) as err:
        parse_diff(text)
    assert (err.value.line, err.value.detail) == (1, "not a unified diff")
    assert isinstance(err.value, InputError) and str(err.value) == "malformed diff at line 1: not a unified diff"


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _line_of(text: str, prefix: str, nth: int = 0) -> int:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(prefix)][nth]


def test_hunk_shorter_than_its_header_at_the_end(three_hunks):
    truncated = "".join(_lines(three_hunks)[:-2])
    with pytest.raises(DiffParseError, match="fewer lines than its header says") as err:
        parse_diff(truncated)
    assert err.value.line == _line_of(three_hunks, "@@", 2)


def test_hunk_shorter_than_its_header_before_the_next_file(git_repo):
    git_repo.write("a.txt", FORTY)
    git_repo.write("b.txt", FORTY)
    git_repo.write("c.txt", FORTY)
    git_repo.commit()
    for name in ("a.txt", "b.txt", "c.txt"):
        git_repo.write(name, FORTY.replace("l9\n", "nine\n"))
    text = git_repo.diff()
    lines = _lines(text)
    header = _line_of(text, "@@", 1)  # b.txt's hunk
    del lines[header]  # its first context line
    with pytest.raises(DiffParseError, match="fewer lines") as err:
        parse_diff("".join(lines))
    assert err.value.line == header


def test_a_hunk_line_that_is_garbage(three_hunks):
    lines = _lines(three_hunks)
    at = _line_of(three_hunks, "@@", 1) + 2
    lines[at - 1] = "garbage in the middle\n"
    with pytest.raises(DiffParseError, match="expected a hunk line") as err:
        parse_diff("".join(lines))
    assert err.value.line == at


@pytest.mark.parametrize("bad", ["@@ -17,7 +16,7 @\n", "@@ -a,7 +16,7 @@\n", "@@ 17,7 16,7 @@\n", "@@\n"])
def test_hunk_header_that_does_not_parse(three_hunks, bad):
    lines = _lines(three_hunks)
    at = _line_of(three_hunks, "@@", 1)
    lines[at - 1] = bad
    with pytest.raises(DiffParseError, match="hunk header does not parse") as err:
        parse_diff("".join(lines))
    assert err.value.line == at


def test_hunk_longer_than_its_header(three_hunks):
    lines = _lines(three_hunks)
    at = _line_of(three_hunks, "@@", 1)
    lines.insert(at + 1, "+smuggled\n")
    text = "".join(lines)
    with pytest.raises(DiffParseError, match="more lines than its header says") as err:
        parse_diff(text)
    assert err.value.line == _line_of(text, " l23") and f"at line {at}" in err.value.detail


def test_extra_changed_line_after_a_complete_hunk(three_hunks):
    text = three_hunks + "+one more\n"
    with pytest.raises(DiffParseError, match="more lines than its header says") as err:
        parse_diff(text)
    assert err.value.line == len(_lines(text))


def test_hunk_without_file_header():
    with pytest.raises(DiffParseError, match="without a file header") as err:
        parse_diff("intro\n@@ -1 +1 @@\n-a\n+b\n")
    assert err.value.line == 2


def test_target_without_source():
    with pytest.raises(DiffParseError, match="'\\+\\+\\+' line without") as err:
        parse_diff("intro\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")
    assert err.value.line == 2


@pytest.mark.parametrize(("text", "detail"), [
    ("new file mode 100644\n", "'new file mode 100644' outside a 'diff --git' header"),
    ("x\ndeleted file mode 100644\n", "'deleted file mode 100644' outside a 'diff --git' header"),
    ("Binary files a/x and b/x differ\nGIT binary patch\n", "'GIT binary patch' outside a 'diff --git' header"),
])
def test_git_header_lines_outside_a_git_header(text, detail):
    with pytest.raises(DiffParseError) as err:
        parse_diff(text)
    assert (err.value.line, err.value.detail) == (text.count("\n"), detail)


def test_no_newline_marker_outside_a_hunk():
    with pytest.raises(DiffParseError, match="outside a hunk") as err:
        parse_diff("diff --git a/x b/x\n\\ No newline at end of file\n")
    assert err.value.line == 2


def test_overlapping_hunks(three_hunks):
    lines = _lines(three_hunks)
    at = _line_of(three_hunks, "@@", 1)
    lines[at - 1] = "@@ -7,7 +6,7 @@\n"
    with pytest.raises(DiffParseError, match="overlaps") as err:
        parse_diff("".join(lines))
    assert err.value.line == at


@pytest.mark.parametrize("number", ["9" * 5000, "9" * 20, str(2**31)])
def test_huge_numbers_in_a_hunk_header(three_hunks, number):
    lines = _lines(three_hunks)
    at = _line_of(three_hunks, "@@", 0)
    lines[at - 1] = f"@@ -{number},7 +2,6 @@\n"
    with pytest.raises(DiffParseError, match="too large") as err:
        parse_diff("".join(lines))
    assert err.value.line == at


def test_error_line_numbers_count_the_whole_input(git_repo):
    for name in ("a.txt", "b.txt", "c.txt"):
        git_repo.write(name, FORTY)
    git_repo.commit()
    for name in ("a.txt", "b.txt", "c.txt"):
        git_repo.write(name, FORTY.replace("l9\n", "nine\n"))
    lines = _lines(git_repo.diff())
    at = _line_of("".join(lines), "@@", 2) + 3
    lines[at - 1] = "?\n"
    with pytest.raises(DiffParseError) as err:
        parse_diff("".join(lines))
    assert err.value.line == at


def test_combined_diff_of_a_merge_conflict_is_refused(git_repo):
    git_repo.write("f.txt", "base\n")
    git_repo.commit()
    git_repo.git("checkout", "-q", "-b", "side")
    git_repo.write("f.txt", "side\n")
    git_repo.commit()
    git_repo.git("checkout", "-q", "main")
    git_repo.write("f.txt", "main\n")
    git_repo.commit()
    with pytest.raises(AssertionError):
        git_repo.git("merge", "side")
    text = git_repo.diff()
    assert text.startswith("diff --cc f.txt")
    with pytest.raises(DiffParseError, match="combined") as err:
        parse_diff(text)
    assert err.value.line == 1
    with pytest.raises(DiffParseError, match="combined"):
        parse_diff(text.replace("diff --cc", "diff --git"))


def test_parse_diff_takes_only_text_or_bytes():
    with pytest.raises(TypeError):
        parse_diff(42)


# --- the values themselves -------------------------------------------------------------------


def test_hand_built_values_answer_like_parsed_ones(three_hunks):
    parsed = only(parse_diff(three_hunks))
    hand = tuple(Hunk(h.old_start, h.old_length, h.new_start, h.new_length, h.section,
                      tuple(DiffLine(*row) for row in rows(h))) for h in parsed.hunks)
    built = FileDiff("f.txt", old_mode="100644", new_mode="100644", hunks=hand)
    assert built == parsed and hash(built) == hash(parsed)
    assert built.added_lines == parsed.added_lines and built.deleted_lines == parsed.deleted_lines
    assert built.added_text(19) == "twenty" and commentable(built, Side.LEFT) == commentable(parsed, Side.LEFT)


def test_replacing_fields_of_parsed_values_keeps_them_consistent(three_hunks):
    file = only(parse_diff(three_hunks))
    assert replace(file, hunks=()).added_lines == frozenset() and replace(file, path="g.txt").added_lines == {19, 35}
    hunk = file.hunks[1]
    assert replace(hunk, lines=()).added_lines == frozenset() and replace(hunk, section="").added_lines == {19}


def test_parsed_values_copy_and_pickle(three_hunks):
    diff = parse_diff(three_hunks)
    assert pickle.loads(pickle.dumps(diff)) == diff and copy.deepcopy(diff) == diff
    hunk = diff.files[0].hunks[0]
    with pytest.raises(AttributeError):
        hunk.nothing  # noqa: B018 - only `lines` is computed on demand
    with pytest.raises(Exception):  # noqa: B017 - frozen
        hunk.section = "x"


# --- never any other exception ------------------------------------------------------------


def _corpus(git_repo) -> list[bytes]:
    git_repo.write("f.txt", FORTY)
    git_repo.write("bin.dat", b"\x00\x01")
    git_repo.write("nonl.txt", "a\nb")
    git_repo.write("win.txt", "a\r\nb\r\n")
    git_repo.write("move me.txt", FORTY)
    git_repo.commit()
    git_repo.write("f.txt", FORTY.replace("l5\n", "").replace("l20\n", "twenty\n"))
    git_repo.write("bin.dat", b"\x00\x02")
    git_repo.write("nonl.txt", "a\nc")
    git_repo.write("win.txt", "a\r\nc\r\n")
    git_repo.write("été.txt", "é\n")
    git_repo.move("move me.txt", "moved.txt")
    git_repo.git("add", "-A")
    return [git_repo.diff("--cached", "-M", raw=True), git_repo.diff("--cached", "--binary", raw=True),
            git_repo.diff("--cached", "-U0", "--no-prefix", raw=True)]


def _mutate(rnd: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True) or [b""]
    at, other = rnd.randrange(len(lines)), rnd.randrange(len(lines))
    kind = rnd.randrange(8)
    if kind == 0:
        del lines[at]
    elif kind == 1:
        lines.insert(at, lines[other])
    elif kind == 2:
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == 3:
        lines[at] = lines[at][: rnd.randrange(len(lines[at]) + 1)]
    elif kind == 4:
        lines.insert(at, rnd.randbytes(rnd.randrange(1, 20)) + b"\n")
    elif kind == 5:
        line = bytearray(lines[at] or b"x")
        line[rnd.randrange(len(line))] = rnd.choice(b"+- @\\\n\r\"0123456789,abd")
        lines[at] = bytes(line)
    elif kind == 6:
        lines = lines[:at]
    else:
        lines[at] = rnd.choice([b"@@ -1 +1 @@\n", b"@@ -99999999999999999999 +1 @@\n", b"@@ -1 +4294967296,2 @@\n", b"diff --git a/x b/x\n", b"--- a/x\n", b"+++ b/x\n",
                                b"\\ No newline at end of file\n", b"GIT binary patch\n", b"new file mode 100644\n",
                                b"rename from x\n", b"Binary files a/x and b/x differ\n", b"@@ -0,0 +0,0 @@\n"])
    return b"".join(lines)


def _exercise(diff: Diff) -> None:
    for file in diff:
        assert isinstance(file.path, str) and isinstance(file.status, FileStatus)
        for hunk in file.hunks:
            assert len(hunk.lines) == len([1 for line in hunk.lines if line.kind in "+- "])
            for line in hunk.lines:
                assert file.contains(line.new if line.kind != "-" else line.old, "RIGHT" if line.kind != "-" else "LEFT")
        for number in file.added_lines:
            assert file.added_text(number) is not None
        file.deleted_lines, file.hunk_at(3), file.contains(1, Side.LEFT), file.changed_line_count
    diff.changed_line_count, diff.file("x")


def test_random_mutations_and_random_bytes_raise_only_diff_parse_errors(git_repo):
    rnd = random.Random(20240101)
    corpus = _corpus(git_repo)
    inputs = [_mutate(rnd, _mutate(rnd, rnd.choice(corpus))) for _ in range(1500)]
    inputs += [rnd.randbytes(rnd.randrange(0, 300)) for _ in range(300)]
    inputs += [bytes(rnd.choice(b"+- @\\\nad/,0123") for _ in range(rnd.randrange(80))) for _ in range(300)]
    outcomes = {"parsed": 0, "refused": 0}
    for data in inputs:
        for value in (data, data.decode("utf-8", "surrogateescape")):
            try:
                diff = parse_diff(value)
            except DiffParseError as err:
                outcomes["refused"] += 1
                assert 1 <= err.line <= value.count(b"\n" if isinstance(value, bytes) else "\n") + 1
                continue
            outcomes["parsed"] += 1
            _exercise(diff)
    assert outcomes["parsed"] > 300 and outcomes["refused"] > 300
