"""The architecture, checked: each stage of ``bot/`` imports only from the stages below it.

``LAYERS`` is the one place the order is written (docs/architecture.md, "Stages", lists the same stages,
one line each, in this order: ``test_the_docs_list_the_stages_in_this_order``). Every import counts,
also one inside a function body, and no module imports another module's ``_private`` name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Bottom first. A module belongs to the stage of its longest matching prefix; a stage may import
#: from itself and from the stages before it, never from one after it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("bot.errors", "bot.config", "bot.kernels", "bot.files", "bot.clock")),
    ("corpus", ("bot.corpus",)),
    ("index", ("bot.index",)),
    ("reader", ("bot.reader",)),
    ("retrieval", ("bot.retrieval",)),
    ("library", ("bot.library",)),
    ("confidence", ("bot.confidence",)),
    ("qa", ("bot.qa",)),
    ("discord", ("bot.discord",)),
    ("devtools", ("bot.devtools",)),
    ("cli", ("bot.cli", "bot.__main__")),
    ("package", ("bot",)),  # bot/__init__.py: `from bot import create_bot`, the public face
)


def stage(module: str) -> int:
    """The position in ``LAYERS`` of ``module`` (``bot.qa.engine`` → the ``qa`` stage)."""
    best, where = -1, None
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best:
                best, where = len(p), i
    assert where is not None, f"{module} belongs to no stage: add it to LAYERS"
    return where


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def type_only(tree: ast.Module) -> set[int]:
    """Ids of the import nodes under ``if TYPE_CHECKING:``: annotations, never run."""
    return {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
            and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
            for stmt in block.body for n in ast.walk(stmt)}


def imports(path: Path, root: Path, runtime_only: bool = False) -> list[tuple[int, str, str | None]]:
    """(line, module, name) of every import of ``bot`` in the file, anywhere in it; ``name`` is the
    imported name for ``from m import name`` (None for ``import m``). ``runtime_only``: without the
    imports under ``if TYPE_CHECKING:``."""
    me = module_name(path, root)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = type_only(tree) if runtime_only else set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, None) for a in node.names if a.name.split(".")[0] == "bot"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            if base.split(".")[0] == "bot":
                out += [(node.lineno, base, a.name) for a in node.names]
    return out


def is_module(name: str, root: Path) -> bool:
    path = root.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def violations(root: Path) -> list[str]:
    """Every upward import and every ``_private`` import under ``root/bot``, one line each."""
    found = []
    for path in sorted((root / "bot").rglob("*.py")):
        me = module_name(path, root)
        for line, target, name in imports(path, root):
            if name is not None and is_module(f"{target}.{name}", root):
                target, name = f"{target}.{name}", None  # `from bot.library import feeds`: the module
            where = f"{path.relative_to(root)}:{line}"
            if stage(target) > stage(me):
                found.append(f"{where}: {me} ({LAYERS[stage(me)][0]}) imports {target} "
                             f"({LAYERS[stage(target)][0]}), a later stage")
            if name and name.startswith("_") and not name.startswith("__") and target != me:
                found.append(f"{where}: {me} imports {target}.{name}, a private name")
    return found


def cycles(root: Path) -> list[list[str]]:
    """Import cycles between modules of ``bot`` (function-body imports included; imports for type
    annotations only, under ``if TYPE_CHECKING:``, run never and make none)."""
    graph: dict[str, set[str]] = {}
    for path in (root / "bot").rglob("*.py"):
        me = module_name(path, root)
        targets = set()
        for _, target, name in imports(path, root, runtime_only=True):
            full = f"{target}.{name}" if name and is_module(f"{target}.{name}", root) else target
            if full != me and not me.startswith(full + "."):  # a package's own __init__ is not a cycle
                targets.add(full)
        graph[me] = targets
    found, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_every_stage_imports_only_from_the_stages_below_it():
    assert violations(ROOT) == []


def test_no_module_imports_itself_back_through_others():
    assert cycles(ROOT) == []


def test_the_check_catches_an_upward_import_in_a_function_body_and_a_private_name(tmp_path):
    """The checker itself, on a throwaway tree: what it must refuse, it refuses."""
    for pkg in ("bot", "bot/corpus", "bot/qa", "bot/index"):
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "bot/qa/engine.py").write_text("def _helper():\n    pass\n")
    (tmp_path / "bot/index/store.py").write_text("from bot.corpus import text\n")  # downward: fine
    (tmp_path / "bot/corpus/text.py").write_text("def f():\n    from bot.qa.engine import Engine\n")
    (tmp_path / "bot/corpus/parse.py").write_text("from ..index.store import _private\n")
    found = violations(tmp_path)
    assert len(found) == 3, found
    assert "bot/corpus/text.py:2: bot.corpus.text (corpus) imports bot.qa.engine (qa), a later stage" in found
    assert any("bot.corpus.parse imports bot.index.store._private, a private name" in f for f in found)
    (tmp_path / "bot/qa/engine.py").write_text("from bot.corpus.text import f\n")
    assert cycles(tmp_path) == [["bot.corpus.text", "bot.qa.engine", "bot.corpus.text"]]


def test_the_docs_list_the_stages_in_this_order():
    """docs/architecture.md "Stages": one line per stage, ``1. **name** ...``, in the order of ``LAYERS``."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page.split("\n## Stages", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\d+\. \*\*(\w+)\*\*", section, flags=re.MULTILINE)
    assert listed == [name for name, _ in LAYERS]
