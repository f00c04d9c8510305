"""Running ``article-bot`` in-process, and what a command left on disk."""

from __future__ import annotations

from bot.cli.main import main


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(project) -> dict[str, bytes]:
    """Every file of articles/ and index/ with its bytes."""
    return {str(p.relative_to(project.root)): p.read_bytes()
            for folder in (project.articles, project.index) for p in sorted(folder.rglob("*")) if p.is_file()}
