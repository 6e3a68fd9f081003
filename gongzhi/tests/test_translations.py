"""The Chinese catalogue is complete, valid and written in Chinese punctuation.

``locale/zh_Hans/LC_MESSAGES/django.po`` is the one place the Chinese lives (README,
"Translations"; the words are in docs/glossary.md). These tests fail when:

1. ``msgfmt --check`` rejects the file, or an entry is untranslated or fuzzy (a fuzzy
   entry is makemessages' guess from a similar string: never shipped);
2. ``makemessages`` would add or change an entry: a string added to the code or a
   template without its Chinese in the .po (it is run on a copy of the locale folder,
   the real file is never touched);
3. a Chinese msgstr has a half-width ``: , ? ( ) ; !`` next to a Han character, or a
   half-width full stop after one (``%(name)s`` placeholders, times such as 09:00 and
   addresses are not Chinese text and are left alone).

They need GNU gettext (``msgfmt``, ``msgattrib``, ``xgettext``, ``msgmerge``), which
``scripts/setup.sh`` installs. Python's own ``gettext`` module reads the compiled
catalogue, so no .po parser is needed.
"""

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Like `make messages` (Makefile): these folders hold no strings of ours.
IGNORED = ["node_modules", "var", ".venv"]
C_LOCALE = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}

HAN = r"[\u3400-\u9fff\uf900-\ufaff]"
HALF_WIDTH = r"[:,?();!]"
# A half-width mark touching a Han character, or one space away from it; a half-width
# full stop right after one.
MIXED = re.compile(rf"{HAN} ?{HALF_WIDTH}|{HALF_WIDTH} ?{HAN}|{HAN}\.")
# What is not Chinese text: %(name)s / %s placeholders, {name} fields, addresses and
# query strings (?town=).
NOT_TEXT = re.compile(r"%\([^)]*\)[sdifr]|%[sdifr%]|\{[a-z_]+\}|https?://\S+|\?[a-z_]+=\S*")

FIX = (
    "Write the Chinese next to the entry's source reference in {po} (README, "
    "'Translations'); if another engineer left it in locale/pending/, merge that."
)


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} (GNU gettext) is missing: scripts/setup.sh installs it.")
    return path


def msgfmt(po: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    mo = tmp_path / "django.mo"
    result = subprocess.run(
        [gettext_tool("msgfmt"), "--check", "-o", str(mo), str(po)],
        capture_output=True,
        text=True,
        env=C_LOCALE,
        check=False,
    )
    return result, mo


def unfinished(po: Path) -> list[str]:
    """The msgids of entries that are untranslated or fuzzy (the header excepted)."""
    found = []
    for option in ("--untranslated", "--only-fuzzy"):
        listing = subprocess.run(
            [gettext_tool("msgattrib"), option, "--no-obsolete", "--no-wrap", str(po)],
            capture_output=True,
            text=True,
            env=C_LOCALE,
            check=True,
        ).stdout
        for context, msgid in re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.*)"$', listing, re.M):
            if msgid:
                found.append(f"{option[2:]}: " + (f"[{context}] " if context else "") + msgid)
    return found


def check_catalogue(po: Path, tmp_path: Path) -> list[str]:
    """What is wrong with a .po: msgfmt's errors, then unfinished entries."""
    result, _ = msgfmt(po, tmp_path)
    problems = [] if result.returncode == 0 else [f"msgfmt --check: {result.stderr.strip()}"]
    return problems + unfinished(po)


def chinese_strings(po: Path, tmp_path: Path) -> dict[str, str]:
    """Every translated entry as "[context] msgid" -> msgstr, read from the compiled .mo."""
    result, mo = msgfmt(po, tmp_path)
    assert result.returncode == 0, result.stderr
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    strings = {}
    for key, text in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid:  # the header
            continue
        context, _, msgid = msgid.rpartition("\x04")
        strings[(f"[{context}] " if context else "") + msgid] = text
    return strings


def mixed_punctuation(strings: dict[str, str]) -> list[str]:
    found = []
    for msgid, text in sorted(strings.items()):
        bare = NOT_TEXT.sub("X", text)
        marks = sorted({match.group(0) for match in MIXED.finditer(bare)})
        if marks:
            found.append(f"{msgid!r} -> {text!r}: {' '.join(repr(m) for m in marks)}")
    return found


def extract_into_copy(tmp_path: Path, po: Path) -> Path:
    """Run makemessages as `make messages` does, but into a copy of ``po``.

    makemessages writes into the locale folder next to the files it reads, so it runs
    in a folder that links every top-level entry of the project except ``locale``,
    which is a copy; the file references stay the same relative paths."""
    gettext_tool("xgettext")
    gettext_tool("msgmerge")
    work = tmp_path / "project"
    work.mkdir()
    for entry in ROOT.iterdir():
        if entry.name == "locale" or entry.name.startswith(".") or entry.name in IGNORED:
            continue
        (work / entry.name).symlink_to(entry)
    copy = work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(po, copy)
    here = Path.cwd()
    os.chdir(work)
    try:
        with override_settings(LOCALE_PATHS=[work / "locale"]):
            call_command(
                "makemessages",
                locale=["zh_Hans"],
                ignore_patterns=IGNORED,
                symlinks=True,
                verbosity=0,
            )
    finally:
        os.chdir(here)
    return copy


def test_the_catalogue_is_valid_and_every_entry_translated(tmp_path):
    problems = check_catalogue(PO, tmp_path)
    assert not problems, FIX.format(po=PO.relative_to(ROOT)) + "\n" + "\n".join(problems)


def test_no_string_in_the_code_lacks_its_chinese(tmp_path):
    """A string added to the code or a template is in the .po with its Chinese."""
    copy = extract_into_copy(tmp_path, PO)
    problems = check_catalogue(copy, tmp_path)
    assert not problems, (
        "`make messages` adds entries that have no Chinese. "
        + FIX.format(po=PO.relative_to(ROOT))
        + "\n"
        + "\n".join(problems)
    )


def test_chinese_takes_full_width_punctuation(tmp_path):
    strings = chinese_strings(PO, tmp_path)
    assert len(strings) > 1000, "the catalogue could not be read"
    found = mixed_punctuation(strings)
    assert not found, (
        "Chinese text takes full-width punctuation (：，？（）；！。), see docs/glossary.md:\n"
        + "\n".join(found)
    )


# The checks themselves: each must fail on a .po broken in its way.

GOOD = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "Sign up"
msgstr "注册"

#, python-format
msgid "%(n)s of %(cap)s places taken"
msgstr "已报名 %(n)s / %(cap)s"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.po"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_catalogue_check_refuses_untranslated_fuzzy_and_invalid(tmp_path):
    assert check_catalogue(write(tmp_path, GOOD), tmp_path) == []
    untranslated = GOOD.replace('msgstr "注册"', 'msgstr ""')
    assert check_catalogue(write(tmp_path, untranslated), tmp_path) == ["untranslated: Sign up"]
    fuzzy = GOOD.replace('msgid "Sign up"', '#, fuzzy\nmsgid "Sign up"')
    assert check_catalogue(write(tmp_path, fuzzy), tmp_path) == ["only-fuzzy: Sign up"]
    lost_placeholder = GOOD.replace("已报名 %(n)s / %(cap)s", "已报名 %(n)s 人")
    problems = check_catalogue(write(tmp_path, lost_placeholder), tmp_path)
    assert problems, "msgfmt --check must refuse a msgstr that drops a placeholder"
    assert problems[0].startswith("msgfmt --check:")


def test_the_punctuation_check_finds_half_width_marks_next_to_chinese():
    found = mixed_punctuation(
        {
            "a": "决定: 通过",
            "b": "（第 1 至 %(last)d 步）",
            "c": "请选择(可多选)",
            "d": "%(name)s，09:00 开始，详见 https://example.org/a,b",
            "e": "为什么?",
            "f": "已完成.",
            "g": "%(area)s · 公示：%(left)s",
            "h": "请用 ?town= 指定",
        }
    )
    assert [line.split(" ->")[0] for line in found] == ["'a'", "'c'", "'e'", "'f'"]
