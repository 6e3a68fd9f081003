"""Imports run one way (README, "What is here"): a module of an app may import the apps
listed before its own in ``ORDER``, never one listed after it; and no production module
imports a test module.

Production modules are the ``.py`` files under ``gongzhi/<app>/`` except ``tests/``
folders, ``test_*.py``, ``conftest.py`` and ``migrations/``. Every import statement
counts, wherever it is (inside a function, under ``if TYPE_CHECKING``), relative ones
included. Core reaches the apps above it through its registries and ``apps.get_model``,
which import nothing. Read with ``ast``: nothing is imported to check it.
"""

import ast
from pathlib import Path

import pytest

GONGZHI = Path(__file__).resolve().parents[1]

# Lowest first: an app may import only the apps before it. Nothing imports reports,
# api or demo; demo (seed_demo and each capability's demo data) may import them all.
ORDER = [
    "core",
    "places",
    "accounts",
    "partners",
    "organisations",
    "venues",
    "surveys",
    "events",
    "cultivation",
    "contests",
    "proposals",
    "meetings",
    "planning",
    "renewal",
    "paper",
    "news",
    "reports",
    "api",
    "demo",
]
RANK = {app: rank for rank, app in enumerate(ORDER)}
# Test helpers outside tests/ folders (the factories live in gongzhi/tests/, whose
# name already marks them; factory_boy is a development dependency).
TEST_HELPERS = {"gongzhi.conftest", "gongzhi.core.testing"}


def is_test_module(dotted: str) -> bool:
    parts = dotted.split(".")
    return dotted in TEST_HELPERS or any(
        p == "tests" or p == "conftest" or p.startswith("test_") for p in parts
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(GONGZHI.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def statements(tree: ast.AST, module: str, is_package: bool):
    """(line, the dotted names it may import) for every import statement: for ``from x
    import y``, x and x.y (``from gongzhi import places``, ``from . import services``
    import modules); relative imports resolved against ``module``."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, [alias.name]
        elif isinstance(node, ast.ImportFrom):
            name = node.module or ""
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            yield node.lineno, [name, *(f"{name}.{alias.name}" for alias in node.names)]


def problems(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """What is wrong with the imports of ``module`` (dotted, e.g. gongzhi.places.views):
    one line per statement and app listed after its own, or test module."""
    app = module.split(".")[1]
    found = []
    for line, names in statements(ast.parse(source), module, is_package):
        ours = [name for name in names if name.startswith("gongzhi.")]
        tests = [name for name in ours if is_test_module(name)]
        if tests:
            found.append(f"{line}: imports the test module {tests[0]}")
            continue
        later = {}
        for name in ours:
            target = name.split(".")[1]
            if target in RANK and RANK[target] > RANK[app]:
                later.setdefault(target, name)
        found += [
            f"{line}: {app} imports {name}, an app listed after it" for name in later.values()
        ]
    return sorted(found, key=lambda problem: int(problem.split(":")[0]))


def production_modules():
    for path in sorted(GONGZHI.rglob("*.py")):
        relative = path.relative_to(GONGZHI).parts
        if len(relative) < 2 or relative[0] not in RANK:
            continue  # gongzhi/__init__.py, conftest.py; tests/ (no app)
        if "tests" in relative or "migrations" in relative:
            continue
        if path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield path


def test_every_app_has_its_place_in_the_order():
    apps = {path.parent.name for path in GONGZHI.glob("*/apps.py")}
    assert apps == set(ORDER), "add the new app to ORDER here and in the README"


def test_no_module_imports_an_app_after_its_own_or_a_test_module():
    found = []
    for path in production_modules():
        module = module_name(path)
        for problem in problems(path.read_text(), module, is_package=path.name == "__init__.py"):
            found.append(f"{path.relative_to(GONGZHI.parent)}:{problem}")
    assert not found, "imports run one way (README, 'What is here'):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from gongzhi.accounts.models import User\n", "gongzhi.places.demo", ["accounts"]),
        ("import gongzhi.events.models\n", "gongzhi.surveys.views", ["events"]),
        ("from gongzhi import renewal\n", "gongzhi.planning.views", ["renewal"]),
        ("def f():\n    from gongzhi.api import api\n", "gongzhi.reports.views", ["api"]),
        ("from ..planning import models\n", "gongzhi.meetings.views", ["planning"]),
        ("from .tests.builders import PNG\n", "gongzhi.planning.demo", ["tests"]),
        ("from gongzhi.tests.factories import UserFactory\n", "gongzhi.demo.places", ["factories"]),
        ("from gongzhi.places.models import Town\n", "gongzhi.accounts.models", []),
        ("from . import services\n", "gongzhi.core.views", []),
        ("from gongzhi.renewal.models import Project\n", "gongzhi.demo.renewal", []),
    ],
)
def test_the_check_sees_what_it_should(source, module, expected):
    found = problems(source, module)
    assert len(found) == len(expected) and all(
        word in problem for word, problem in zip(expected, found, strict=True)
    ), found
