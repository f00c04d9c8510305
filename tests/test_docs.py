"""The README and docs/: the README stays short, and every relative link in them leads somewhere.

A clone has only what is in the repository: a link to a file outside it (``../shared/...``), to a
file that moved, or to a heading that was renamed is a dead link for whoever reads it. The checker
reads each Markdown file's inline links and images (``[text](target)``, ``![alt](target)``) and its
reference definitions (``[name]: target``), outside code blocks and code spans; web and mail links
are not followed.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from tests.support.project import REPO

README_MAX_LINES = 250

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
#: An inline link or image target: whatever follows ``](``, up to an optional title and ``)``.
_INLINE = re.compile(r"\]\(\s*(<[^>\n]*>|[^)\s]+)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_HTML_ID = re.compile(r"""<a\s[^>]*?(?:name|id)=["']([^"']+)["']""")
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")  # http:, https:, mailto:, //host
#: The sibling folder of this project's machines (``shared/EVAL_FORMAT.md``, ``../shared/qa-data``): not in a clone.
_SHARED = re.compile(r"(?<![\w-])shared/")


def markdown_files(root: Path = REPO) -> list[Path]:
    """README.md and every page of docs/."""
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def prose_lines(text: str, *, code_spans: bool = False) -> list[str]:
    """The file's lines with fenced code blocks blanked (line numbers kept), and code spans unless asked."""
    lines, fence = [], None
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)
            lines.append("")
        elif fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            lines.append("")
        else:
            lines.append(line if code_spans else _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text in lower case, punctuation dropped, spaces as ``-``."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text, not its target
    text = re.sub(r"<[^>]+>", "", text).lower()
    text = "".join(ch for ch in text if ch.isalnum() or ch in " -_")
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors a link may name in ``path``: its headings' slugs (``-1``, ``-2`` for repeats), HTML ids."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose_lines(path.read_text(encoding="utf-8"), code_spans=True):
        heading = _HEADING.match(line)
        if heading:
            base = slug(heading.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
        found.update(_HTML_ID.findall(line))
    return found


def links(path: Path) -> list[tuple[int, str]]:
    """(line number, target) of every inline link, image and reference definition in ``path``."""
    found = []
    for number, line in enumerate(prose_lines(path.read_text(encoding="utf-8")), start=1):
        targets = [m.group(1) for m in _INLINE.finditer(line)]
        reference = _REFERENCE.match(line)
        if reference:
            targets.append(reference.group(1))
        found.extend((number, target.strip("<>")) for target in targets)
    return found


def broken_links(files: list[Path], root: Path = REPO) -> list[str]:
    """``file:line: target: why`` for every relative link that does not resolve inside ``root``."""
    root = root.resolve()
    problems = []
    for path in files:
        where = path.resolve().relative_to(root)
        for number, target in links(path):
            if not target or _EXTERNAL.match(target):
                continue
            address, _, fragment = unquote(target).partition("#")
            address = address.split("?", 1)[0]
            resolved = (path.parent / address).resolve() if address else path.resolve()
            if not resolved.is_relative_to(root):
                problems.append(f"{where}:{number}: {target}: outside the repository")
            elif not resolved.exists():
                problems.append(f"{where}:{number}: {target}: no such file or folder")
            elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
                problems.append(f"{where}:{number}: {target}: no heading #{fragment} in {resolved.name}")
    return problems


def outside_mentions(files: list[Path], root: Path = REPO) -> list[str]:
    """``file:line: text`` for every mention of the ``shared/`` folder, in prose or in code."""
    root = root.resolve()
    return [f"{path.resolve().relative_to(root)}:{number}: {line.strip()}"
            for path in files
            for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)
            if _SHARED.search(line)]


def test_the_readme_is_at_most_250_lines():
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines, at most {README_MAX_LINES}"


def test_every_relative_link_in_the_readme_and_docs_resolves_inside_the_repository():
    files = markdown_files()
    assert len(files) > 1, "docs/ holds no page"
    problems = broken_links(files)
    assert not problems, "broken links:\n" + "\n".join(problems)


def test_the_readme_and_docs_name_no_file_of_the_shared_folder():
    """Even as plain text (``../shared/RETRIEVAL.md`` in a code span): a clone does not have it."""
    problems = outside_mentions(markdown_files())
    assert not problems, "mentions of shared/, which a clone does not have:\n" + "\n".join(problems)


def test_the_checker_reports_each_kind_of_broken_link(tmp_path):
    """The checker itself, on a small tree: a passing link check means something."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "picture.png").write_bytes(b"png")
    (tmp_path / "docs" / "page.md").write_text("# A page\n\n## The `tiers`: three of them\n", encoding="utf-8")
    (tmp_path / "README.md").write_text(
        "# Title\n"
        "![fine](docs/picture.png) [fine](docs/page.md#the-tiers-three-of-them) [fine](#title) [web](https://x.y/z)\n"
        "[folder](docs/) [mail](mailto:a@b.c) `[in code](nowhere.md)`\n"
        "```\n[in a code block](nowhere.md)\n```\n"
        "![missing picture](docs/missing.png)\n"
        "[missing page](docs/gone.md) and [outside](../shared/RETRIEVAL.md)\n"
        "[no such heading](docs/page.md#tiers) [no such anchor](#nothing)\n"
        "[a reference][ref]\n\n"
        "[ref]: docs/also-gone.md\n",
        encoding="utf-8",
    )
    assert broken_links(markdown_files(tmp_path), tmp_path) == [
        "README.md:7: docs/missing.png: no such file or folder",
        "README.md:8: docs/gone.md: no such file or folder",
        "README.md:8: ../shared/RETRIEVAL.md: outside the repository",
        "README.md:9: docs/page.md#tiers: no heading #tiers in page.md",
        "README.md:9: #nothing: no heading #nothing in README.md",
        "README.md:12: docs/also-gone.md: no such file or folder",
    ]
    assert outside_mentions(markdown_files(tmp_path), tmp_path) == [
        "README.md:8: [missing page](docs/gone.md) and [outside](../shared/RETRIEVAL.md)"]


def test_anchors_follow_github_slugs():
    assert slug("Confidence: what the percentage means, and when the bot says \"not covered\"") == (
        "confidence-what-the-percentage-means-and-when-the-bot-says-not-covered")
    assert slug("What `add` refuses") == "what-add-refuses"
    assert slug("Health and metrics") == "health-and-metrics"
    assert slug("Why figures move between machines, and the margins the tests keep") == (
        "why-figures-move-between-machines-and-the-margins-the-tests-keep")
