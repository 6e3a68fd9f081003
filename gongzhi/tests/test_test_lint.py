"""A lint over the test files: no test that cannot fail.

It reads every ``.py`` file under ``gongzhi/**/tests/`` and ``e2e/`` (the AST only,
nothing is imported) and refuses three shapes of assertion that pass whatever the
code does:

1. ``assert ... or <truthy constant>`` — e.g. ``assert x in page or True``.
2. ``assert <truthy constant>`` — e.g. ``assert True``, ``assert 1``, ``assert "x"``.
3. **Vacuous loops.** An ``assert`` inside a ``for`` (or ``while``) loop over a
   collection that may be empty checks nothing when the collection is empty. Such
   an assert needs a *guard* in the same test function, outside every loop that may
   be empty (for a loop nested in another, an assert inside the outer loop before the
   inner one counts): an ``assert`` that mentions the collection (``assert rows``,
   ``assert len(rows) == 3``, ``assert data["items"]``, ``assert {..} == set(rows)``)
   or a counter that the loop body assigns (``seen += 1`` ... ``assert seen == 3``).
   A loop cannot be empty, and needs no guard, when it runs over a non-empty literal
   (``for role in ("a", "b")``), ``range()`` of positive constants, a name bound to
   a non-empty literal in the module or the function, or ``enumerate``/``zip``/
   ``sorted``/``reversed``/``list``/``tuple``/``.items()``/``.keys()``/``.values()``
   of one of those. For a loop over ``zip(a, b)`` or ``enumerate(a)`` a guard may
   mention any of the zipped collections. A loop that is meant to be empty for some
   parameters (``for words in hidden`` when nothing is hidden) says so on its line:
   ``# may be empty: <why>`` (the reason is required).

The rule applies to ``test*`` functions (at module level and in ``Test*`` classes);
asserts in nested helper functions are not counted for or against the test. Rules 1
and 2 apply to every function. The unit tests at the bottom feed the lint small
snippets to prove that it catches each shape and passes the guarded ones.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOOP_WRAPPERS = {"enumerate", "zip", "sorted", "reversed", "list", "tuple", "set", "iter"}
DICT_VIEWS = {"items", "keys", "values"}
# QuerySet methods that keep the same rows: a guard on ``qs`` covers ``qs.all()``.
SAME_ROWS = {"all", "select_related", "prefetch_related", "order_by", "iterator", "distinct"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


def files_to_lint() -> list[Path]:
    files = list((ROOT / "gongzhi").rglob("tests/**/*.py"))
    files += (ROOT / "e2e").rglob("*.py")
    return sorted(set(files))


def _truthy_constant(node) -> bool:
    return isinstance(node, ast.Constant) and bool(node.value)


def _nonempty_literal(node, bound: dict[str, ast.AST]) -> bool:
    """True when ``node`` is an iterable that cannot be empty."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        # [author, *supporters] has at least the author
        return any(not isinstance(e, ast.Starred) for e in node.elts)
    if isinstance(node, ast.Dict):
        return bool(node.keys) and None not in node.keys
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | bytes) and bool(node.value)
    if isinstance(node, ast.Name) and node.id in bound:
        value = bound[node.id]
        return value is not node and _nonempty_literal(value, {})
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "range":
            args = node.args
            if not args or not all(
                isinstance(a, ast.Constant) and isinstance(a.value, int) for a in args
            ):
                return False
            values = [a.value for a in args]
            return len(range(*values)) > 0
        if isinstance(func, ast.Name) and func.id in LOOP_WRAPPERS and node.args:
            return all(_nonempty_literal(a, bound) for a in node.args)
        if isinstance(func, ast.Attribute) and func.attr in DICT_VIEWS and not node.args:
            return _nonempty_literal(func.value, bound)
    return False


def _collections(node) -> list[ast.AST]:
    """The iterable and the collections it wraps: a guard may mention any of them."""
    found = [node]
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in LOOP_WRAPPERS:
            for arg in node.args:
                found += _collections(arg)
        elif isinstance(func, ast.Attribute) and func.attr in DICT_VIEWS | SAME_ROWS:
            found += _collections(func.value)
    return found


def _mentions(tree, wanted: ast.AST) -> bool:
    target = ast.dump(wanted)
    return any(ast.dump(sub) == target for sub in ast.walk(tree))


def _assigned_names(body) -> set[str]:
    names = set()
    for stmt in body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.AugAssign | ast.AnnAssign) and isinstance(
                node.target, ast.Name
            ):
                names.add(node.target.id)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif (
                # seen.append(x), checked.add(x): a collection the loop fills
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"append", "add", "extend", "update"}
                and isinstance(node.func.value, ast.Name)
            ):
                names.add(node.func.value.id)
    return names


def _module_literals(tree) -> dict[str, ast.AST]:
    bound = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            if isinstance(target, ast.Name):
                bound[target.id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
            bound[stmt.target.id] = stmt.value
    return bound


def _local_literals(func, module: dict[str, ast.AST]) -> dict[str, ast.AST]:
    """Names bound once in the function to a literal; a name bound twice is unknown."""
    bound = dict(module)
    counts: dict[str, int] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    counts[target.id] = counts.get(target.id, 0) + 1
                    bound[target.id] = node.value
        elif isinstance(node, ast.For | ast.comprehension) and isinstance(node.target, ast.Name):
            counts[node.target.id] = counts.get(node.target.id, 0) + 2
    for name, count in counts.items():
        if count > 1:
            bound[name] = ast.Name(id=name)  # not a literal any more: unknown
    return bound


class _TestFunction(ast.NodeVisitor):
    """Every assert of one test function, with the loops that may be empty around it."""

    def __init__(self, bound):
        self.bound = bound
        self.loops: list[ast.AST] = []  # enclosing loops that may be empty
        self.asserts: list[tuple[ast.Assert, tuple]] = []

    def visit_FunctionDef(self, node):  # a nested helper: not the test's own asserts
        pass

    visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = visit_FunctionDef

    def _loop(self, node, may_be_empty):
        if may_be_empty:
            self.loops.append(node)
        for stmt in node.body:
            self.visit(stmt)
        if may_be_empty:
            self.loops.pop()
        for stmt in node.orelse:
            self.visit(stmt)

    def visit_For(self, node):
        self._loop(node, not _nonempty_literal(node.iter, self.bound))

    visit_AsyncFor = visit_For

    def visit_While(self, node):
        self._loop(node, not _truthy_constant(node.test))

    def visit_Assert(self, node):
        self.asserts.append((node, tuple(self.loops)))


def _meant_empty(loop, lines) -> bool:
    line = lines[loop.lineno - 1]
    marker = "# may be empty:"
    return marker in line and line.split(marker, 1)[1].strip() != ""


def _vacuous_loops(func, bound, lines) -> list[tuple[int, str]]:
    visitor = _TestFunction(bound)
    for stmt in func.body:
        visitor.visit(stmt)
    problems = []
    for node, loops in visitor.asserts:
        for depth, loop in enumerate(loops):
            if _meant_empty(loop, lines):
                continue
            # A guard: an assert outside this loop but inside no other loop that may be
            # empty than those around it (themselves checked in turn), about the loop's
            # collection or a name the loop body assigns.
            guards = [
                a.test
                for a, around in visitor.asserts
                if len(around) <= depth and around == loops[: len(around)]
            ]
            wanted = _collections(loop.iter) if isinstance(loop, ast.For) else [loop.test]
            counters = [ast.Name(id=n, ctx=ast.Load()) for n in _assigned_names(loop.body)]
            if not any(_mentions(g, w) for g in guards for w in wanted + counters):
                problems.append(
                    (
                        node.lineno,
                        f"assert only inside a loop (line {loop.lineno}) whose collection may "
                        f"be empty: assert the collection (or a counter) outside the loop",
                    )
                )
                break
    # One finding per loop is enough to point at it.
    seen, unique = set(), []
    for line, message in problems:
        if message not in seen:
            seen.add(message)
            unique.append((line, message))
    return unique


def lint_source(source: str, path: str = "<snippet>") -> list[Finding]:
    tree = ast.parse(source)
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            test = node.test
            if _truthy_constant(test):
                findings.append(Finding(path, node.lineno, "assert of a true constant"))
            elif (
                isinstance(test, ast.BoolOp)
                and isinstance(test.op, ast.Or)
                and any(_truthy_constant(v) for v in test.values)
            ):
                findings.append(Finding(path, node.lineno, "assert ... or <true constant>"))
    module = _module_literals(tree)
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for cls in tree.body:
        if isinstance(cls, ast.ClassDef) and cls.name.startswith("Test"):
            functions += [
                n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
    for func in functions:
        if func.name.startswith("test"):
            bound = _local_literals(func, module)
            for line, message in _vacuous_loops(func, bound, source.splitlines()):
                findings.append(Finding(path, line, f"{func.name}: {message}"))
    return findings


def test_no_test_that_cannot_fail():
    files = files_to_lint()
    assert len(files) > 100  # the walk found the suite
    findings = []
    for path in files:
        findings += lint_source(path.read_text(), str(path.relative_to(ROOT)))
    assert not findings, "Tests that cannot fail:\n" + "\n".join(map(str, findings))


# --- The lint on snippets: each shape is caught, the guarded ones pass ------------------


@pytest.mark.parametrize(
    "source",
    [
        "def test_x(page):\n    assert 'a' in page or True\n",
        "def test_x(page):\n    assert page or 1\n",
        "def helper(page):\n    assert False or 'yes'\n",
        "def test_x():\n    assert True\n",
        "def test_x():\n    assert 1\n",
        "def helper():\n    assert 'always'\n",
        # the only asserts sit in a loop over something that may be empty
        "def test_x(rows):\n    for row in rows:\n        assert row.ok\n",
        "def test_x(c):\n    for r in c.get('/').json()['items']:\n        assert r['id']\n",
        "def test_x(rows):\n    i = 0\n    while i < len(rows):\n        assert rows[i]\n",
        "def test_x(rows):\n    for row in rows:\n        for cell in row:\n"
        "            assert cell\n",
        # a guard about another collection does not count
        "def test_x(rows, other):\n    assert other\n    for row in rows:\n        assert row\n",
        # a status check is no guard for the items
        "def test_x(r):\n    assert r.status == 200\n    for i in r.items:\n        assert i\n",
        # an assert inside another loop that may be empty is no guard either
        "def test_x(a, rows):\n    for x in a:\n        assert rows\n    for r in rows:\n"
        "        assert r\n",
        # a name rebound is not a literal any more
        "def test_x(f):\n    rows = [1]\n    rows = f()\n    for r in rows:\n        assert r\n",
        "class TestA:\n    def test_x(self, rows):\n        for r in rows:\n            assert r\n",
        # a guard inside an outer loop does not cover the outer loop
        "def test_x(rows):\n    for r in rows:\n        assert r.cells\n"
        "        for c in r.cells:\n            assert c\n",
        # filter() may keep no row of the guarded queryset
        "def test_x(qs):\n    assert qs.count() == 3\n    for r in qs.filter(a=1):\n"
        "        assert r\n",
        # the escape needs its reason
        "def test_x(rows):\n    for r in rows:  # may be empty:\n        assert r\n",
    ],
)
def test_lint_catches(source):
    assert lint_source(source), source


@pytest.mark.parametrize(
    "source",
    [
        "def test_x(page):\n    assert 'a' in page or 'b' in page\n",
        "def test_x(a):\n    assert a is True\n",
        # loops that cannot be empty
        "def test_x(c):\n    for role in ('a', 'b'):\n        assert c(role)\n",
        "def test_x(c):\n    for i in range(3):\n        assert c(i)\n",
        "ROLES = ['a', 'b']\ndef test_x(c):\n    for r in ROLES:\n        assert c(r)\n",
        "CASES = {'a': 1}\ndef test_x(c):\n    for k, v in CASES.items():\n"
        "        assert c(k) == v\n",
        "def test_x(c):\n    for i, r in enumerate(['a']):\n        assert c(r) == i\n",
        "def test_x(c):\n    names = ('a', 'b')\n    for n in names:\n        assert c(n)\n",
        # guarded: the collection asserted outside the loop, before or after
        "def test_x(rows):\n    assert len(rows) == 3\n    for r in rows:\n        assert r\n",
        "def test_x(rows):\n    for r in rows:\n        assert r\n    assert rows\n",
        "def test_x(d):\n    assert d['items']\n    for r in d['items']:\n        assert r\n",
        "def test_x(a, b):\n    assert a\n    for x, y in zip(a, b):\n        assert x == y\n",
        # nested: the outer loop guarded, the inner one guarded inside it
        "def test_x(rows):\n    assert rows\n    for r in rows:\n        assert r.cells\n"
        "        for c in r.cells:\n            assert c\n",
        "def test_x(qs):\n    assert qs.count() == 3\n    for r in qs.select_related('a'):\n"
        "        assert r\n",
        # guarded by a counter the loop body assigns
        "def test_x(rows):\n    n = 0\n    for r in rows:\n        assert r\n        n += 1\n"
        "    assert n == 2\n",
        "def test_x(rows):\n    seen = []\n    for r in rows:\n        assert r\n"
        "        seen.append(r)\n    assert seen\n",
        # an assert outside the loop is not needed when the test asserts nothing in loops
        "def test_x(rows):\n    for r in rows:\n        check(r)\n",
        "def test_x(rows):\n    for r in rows:  # may be empty: no rows for 'none'\n"
        "        assert r\n",
        "def test_x(a, b):\n    for u in [a, *b]:\n        assert u\n",
        # nested helpers' asserts are not the test's
        "def test_x(rows):\n    def ok(r):\n        assert r\n    assert all(map(ok, [1]))\n",
    ],
)
def test_lint_passes(source):
    assert not lint_source(source), lint_source(source)
