"""Translatable strings are never built inside f-strings (the .po would not find them)."""

import re
from pathlib import Path

import pytest

# --- 13. Translatable strings outside f-strings -------------------------------------


@pytest.mark.parametrize("app", ["meetings", "proposals"])
def test_no_translated_string_inside_an_f_string(app):
    root = Path(__file__).resolve().parents[2] / app
    paths = sorted(root.glob("*.py"))
    assert len(paths) > 5, root
    for path in paths:
        source = path.read_text()
        assert not re.search(r"""f["'][^"'\n]*\{_\(""", source), path
