"""Fill locale/zh_Hans/LC_MESSAGES/django.po from the tables in locale/translations/.

Run after `make messages` when strings change:
`uv run --with polib python locale/fill_zh_hans.py`. Each capability keeps its own
table (locale/translations/<capability>.py with ZH and ZH_PLURAL dicts). Entries in
no table are left untranslated and listed, so nothing is silently missed.

A msgid with a context (pgettext) is looked up as "context\x04msgid" first (the
gettext convention), then as the bare msgid: so "No." as a ledger column can be 序号
while "No." elsewhere stays 编号.
"""

import importlib.util
import sys
from pathlib import Path

import polib

HERE = Path(__file__).parent


def load_tables() -> tuple[dict, dict]:
    singular, plural = {}, {}
    for path in sorted((HERE / "translations").glob("*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        singular.update(getattr(module, "ZH", {}))
        plural.update(getattr(module, "ZH_PLURAL", {}))
    return singular, plural


def lookup(table: dict, entry):
    if entry.msgctxt:
        text = table.get(f"{entry.msgctxt}\x04{entry.msgid}")
        if text:
            return text
    return table.get(entry.msgid)


def main() -> int:
    ZH, ZH_PLURAL = load_tables()
    path = HERE / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            text = lookup(ZH_PLURAL, entry)
            if text:
                entry.msgstr_plural = {0: text}
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
            else:
                missing.append(entry.msgid)
        elif lookup(ZH, entry):
            entry.msgstr = lookup(ZH, entry)
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        elif not entry.msgstr or "fuzzy" in entry.flags:
            # A fuzzy entry is makemessages' guess from a similar string: never trust it.
            missing.append(entry.msgid)
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.metadata_is_fuzzy = False
    po.save()
    for msgid in missing:
        print("untranslated:", msgid, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
