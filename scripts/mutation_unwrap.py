"""Make @transaction.atomic services visible to mutmut (used by scripts/mutation.sh
on a throwaway copy of the code, never on the repository's files).

mutmut leaves decorated functions alone (it cannot put its trampoline under an
arbitrary decorator), and nearly every service is ``@transaction.atomic``. Here
``@transaction.atomic`` above a ``def`` becomes ``name = transaction.atomic(name)``
after the module's code: the same function, wrapped the same way, but mutable.
Usage: python scripts/mutation_unwrap.py FILE...
"""

import ast
import sys


def unwrap(path: str) -> int:
    with open(path, encoding="utf-8") as f:
        source = f.read()
    lines = source.splitlines(keepends=True)
    wrapped, drop = [], set()
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef) or len(node.decorator_list) != 1:
            continue
        decorator = node.decorator_list[0]
        if ast.unparse(decorator) == "transaction.atomic":
            drop.add(decorator.lineno - 1)
            wrapped.append(node.name)
    kept = [line for number, line in enumerate(lines) if number not in drop]
    tail = "".join(f"{name} = transaction.atomic({name})\n" for name in wrapped)
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(kept).rstrip("\n") + "\n\n\n" + tail)
    return len(wrapped)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(f"{path}: {unwrap(path)} services unwrapped")
