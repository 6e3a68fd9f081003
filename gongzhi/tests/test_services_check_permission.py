"""Every service that acts for someone checks that person's permission itself, through
``gongzhi.core.access.require_perm`` over the app's rules.py, so that the API, the
views and the management commands are all held to the same rule (issue 17).

Read from the source, not run: each public function of the service modules whose
signature names the person acting (``actor``, ``user``, ...) must either call
``require_perm`` itself, or call a private helper of its module that does (``_lock``,
``_check``; a call with ``check=False`` does not count), or say in its docstring why
it needs no check, on a line of its own::

    Permission: checked by <the service that calls it>.
    Permission: self: ``user`` acts on their own account only.
    Permission: open to anyone ...

The behaviour behind the rule (a refused call writes nothing) is tested app by app in
``gongzhi/<app>/tests/test_service_permissions.py``.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(
    {
        *ROOT.glob("*/services.py"),
        ROOT / "planning" / "evidence_services.py",
        ROOT / "events" / "formats.py",
        ROOT / "meetings" / "decisions.py",
    }
)
# The names a service gives the person on whose behalf it acts.
ACTOR_NAMES = {"actor", "by", "user", "staff", "author", "reporter", "recorded_by"}
MARKER = "Permission:"


def _calls(function) -> set[str]:
    """Names of the plain functions called in ``function``, leaving out calls that
    switch the check off (``_lock(meeting, check=False)``)."""
    names = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if any(
            keyword.arg == "check"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is False
            for keyword in node.keywords
        ):
            continue
        names.add(node.func.id)
    return names


def _checking_helpers(functions: dict) -> set[str]:
    """The module's private helpers that call require_perm, directly or in turn."""
    calls = {name: _calls(function) for name, function in functions.items()}
    checking = {
        name for name in functions if name.startswith("_") and "require_perm" in calls[name]
    }
    grown = True
    while grown:
        grown = False
        for name in functions:
            if name.startswith("_") and name not in checking and calls[name] & checking:
                checking.add(name)
                grown = True
    return checking


def _has_marker(function) -> bool:
    docstring = ast.get_docstring(function) or ""
    return any(
        line.strip().startswith(MARKER) and line.strip() != MARKER
        for line in docstring.splitlines()
    )


def unchecked() -> set[str]:
    """Every public service acting for someone with neither a check nor a marker."""
    found = set()
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions = {
            node.name: node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        helpers = _checking_helpers(functions)
        for name, function in functions.items():
            if name.startswith("_"):
                continue
            arguments = function.args
            parameters = {
                a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs
            }
            if not parameters & ACTOR_NAMES:
                continue
            calls = _calls(function)
            if "require_perm" in calls or calls & helpers or _has_marker(function):
                continue
            found.add(f"{path.parent.name}.{name}")
    return found


def test_the_scan_finds_the_service_modules():
    names = {str(path.relative_to(ROOT)) for path in MODULES}
    assert {
        "meetings/services.py",
        "meetings/decisions.py",
        "planning/evidence_services.py",
        "events/formats.py",
        "contests/services.py",
        "surveys/services.py",
    } <= names
    assert all(path.is_file() for path in MODULES)


def test_every_service_acting_for_someone_checks_their_permission():
    missing = sorted(unchecked())
    assert not missing, (
        "These services act for someone without require_perm(actor, '<app>.<perm>', obj) "
        f"and without a '{MARKER} ...' line in their docstring: {missing}"
    )


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("def act(*, thing, actor):\n    thing.save()\n", True),
        ("def act(*, thing, actor):\n    require_perm(actor, 'a.b', thing)\n", False),
        (
            "def _lock(t, actor=None, *, check=True):\n"
            "    if check:\n        require_perm(actor, 'a.b', t)\n"
            "def act(*, thing, actor):\n    _lock(thing, actor)\n",
            False,
        ),
        (
            "def _lock(t, actor=None, *, check=True):\n"
            "    if check:\n        require_perm(actor, 'a.b', t)\n"
            "def act(*, thing, user):\n    _lock(thing, check=False)\n",
            True,
        ),
        # A public service's check does not cover another public service that calls it.
        (
            "def other(*, actor):\n    require_perm(actor, 'a.b')\n"
            "def act(*, user):\n    other(actor=user)\n",
            True,
        ),
        ('def act(*, user):\n    """Does.\n\n    Permission: self.\n    """\n', False),
        ('def act(*, user):\n    """Does.\n\n    Permission:\n    """\n', True),
        ("def pure(tally):\n    return tally\n", False),
    ],
)
def test_the_scan_itself(tmp_path, monkeypatch, source, flagged):
    module = tmp_path / "app" / "services.py"
    module.parent.mkdir()
    module.write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "MODULES", [module])
    assert (unchecked() == {"app.act"}) is flagged
