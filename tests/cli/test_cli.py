"""bot/cli/main.py: the ``article-bot`` commands, run in-process through ``main(argv)``.

One test runs the installed ``article-bot`` console script in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli.main import build_parser, main
from tests.support.project import write_yaml
from tests.support.waits import GUARD_S

EVAL_KEYS = {"n_on", "n_off", "top1", "top3", "mrr", "abstain_recall", "false_abstain", "trap_abstain",
             "unrelated_abstain", "span_hit", "n_span", "ece"}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean_error(code: int, out: str, err: str, needle: str) -> None:
    """Exit 2, nothing on stdout, exactly one error line on stderr, no traceback."""
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("article-bot: error:")]
    assert len(errors) == 1, err
    assert err.rstrip("\n").splitlines()[-1] == errors[0]
    assert needle in errors[0]


# ----- index -------------------------------------------------------------------------------------

def test_index_builds_and_reports(capsys, project):
    code, out, err = run(capsys, "index", "--config", project.config_path)
    assert code == 0
    assert out.startswith(f"index ready in {project.index}: 10 sentences, 1 article(s), "
                          "encoders hashing:64:0, hashing:32:0 (")
    assert (project.index / "manifest.json").is_file()
    assert "error" not in err


def test_index_reuses_and_force_rebuilds(capsys, built_project, caplog):
    with caplog.at_level(logging.INFO, logger="bot"):  # a copied library: new inodes, files read once
        assert run(capsys, "index", "--config", built_project.config_path)[0] == 0
    assert "(0 encoded, 0 from the store, " in caplog.text  # ... and nothing encoded: every sentence kept
    marker = built_project.index / "marker.txt"
    marker.write_text("x", encoding="utf-8")
    assert run(capsys, "index", "--config", built_project.config_path)[0] == 0
    assert marker.exists()  # up to date: loaded, not rebuilt
    code, out, _ = run(capsys, "index", "--force", "--config", built_project.config_path)
    assert code == 0 and "14 sentences, 2 article(s)" in out
    assert not marker.exists()  # rebuilt: a new folder replaced the old one
    assert (built_project.index / "manifest.json").is_file()


def test_index_from_another_working_directory(capsys, project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(capsys, "index", "--config", Path(project.config_path.parent.name) / "config.yaml")
    assert code == 0
    assert (project.index / "manifest.json").is_file()


def test_default_config_is_the_one_in_the_working_directory(capsys, project, monkeypatch):
    monkeypatch.chdir(project.root)
    code, out, _ = run(capsys, "index")
    assert code == 0 and "1 article(s)" in out


def test_config_goes_before_the_command_or_after_it(capsys, built_project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no config.yaml here: only the one named is read
    before = run(capsys, "--config", built_project.config_path, "list")
    after = run(capsys, "list", "--config", built_project.config_path)
    assert before == after and before[0] == 0 and before[1].startswith("bakery.en: ")
    elsewhere = tmp_path / "missing.yaml"
    code, _, err = run(capsys, "--config", elsewhere, "list", "--config", built_project.config_path)
    assert code == 0 and err == ""  # after the command wins


# ----- ask ---------------------------------------------------------------------------------------

def test_ask_text(capsys, built_project):
    code, out, _ = run(capsys, "ask", "When will construction begin?", "--config", built_project.config_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Answer ")
    assert lines[1] == "  « Construction will begin *in March 2026*. »"  # the short answer emphasised
    assert "Context:" in lines
    assert "[Construction will begin in March 2026.] The total cost is estimated at $612 million." in out
    assert "  tram.en · §3 · sentence 1 · Will Halverton finally get its tram? — test corpus" in lines
    assert "Other passages:" in lines
    assert "not covered" not in out


def test_ask_json(capsys, built_project):
    code, out, _ = run(capsys, "ask", "When will construction begin?", "--json", "--k", "4",
                       "--config", built_project.config_path)
    assert code == 0
    assert len(out.strip().splitlines()) == 1
    data = json.loads(out)
    assert data["question"] == "When will construction begin?"
    assert data["abstained"] is False and data["closest"] is None and data["tier"] == "answer"
    assert 0.0 <= data["confidence"] <= 1.0 and 0.0 <= data["coverage"] <= 1.0
    answer = data["answer"]
    assert answer["text"] == "Construction will begin in March 2026."
    assert (answer["article"], answer["paragraph"], answer["sentence"]) == ("tram.en", 3, 1)
    assert answer["id"] == "tram.en#8"  # stable: the 8th sentence or line of the article (slug, caption counted)
    assert answer["context_before"] == []
    assert answer["context_after"] == ["The total cost is estimated at $612 million."]
    source = (built_project.articles / "tram.en.txt").read_text(encoding="utf-8")
    assert source[answer["start"]:answer["end"]] == answer["text"]
    assert len(data["others"]) == 3
    assert data["article_title"] == "Will Halverton finally get its tram?"
    assert data["article_source"] == "test corpus"
    assert data["expected"] == "date"
    assert answer["text"][answer["span"][0]:answer["span"][1]] == "in March 2026"
    assert set(data["evidence"]) >= {"topic_max", "dense_top", "margin", "type_missing", "unknown_names"}


def test_ask_article_option(capsys, built_project):
    code, out, _ = run(capsys, "ask", "When does it open?", "--json", "--k", "10", "--article", "bakery.en",
                       "--config", built_project.config_path)
    assert code == 0
    data = json.loads(out)
    assert {p["article"] for p in [data["answer"], *data["others"]]} == {"bakery.en"}


def test_ask_abstains(capsys, make_project):
    project = make_project(abstain_threshold=1.0)
    code, out, _ = run(capsys, "ask", "What is the weather on Mars?", "--config", project.config_path)
    assert code == 0
    assert "not covered by the article" in out.splitlines()[0]
    assert "Answer " not in out
    code, out, _ = run(capsys, "ask", "What is the weather on Mars?", "--json",
                       "--config", project.config_path)
    data = json.loads(out)
    assert data["abstained"] is True and data["answer"] is None and data["tier"] == "not_covered"
    assert data["closest"]["text"]


def test_ask_unsure_is_an_answer_with_a_hedge(capsys, make_project):
    project = make_project(answer_threshold=1.0)  # covered, but never sure enough to answer plainly
    code, out, _ = run(capsys, "ask", "When will construction begin?", "--config", project.config_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("The article may not say this exactly — closest passage:")
    assert lines[1] == "  « Construction will begin *in March 2026*. »"  # the span between asterisks in a pipe
    code, out, _ = run(capsys, "ask", "When will construction begin?", "--json", "--config", project.config_path)
    data = json.loads(out)
    assert data["tier"] == "unsure" and data["abstained"] is False
    assert data["answer"]["text"] == "Construction will begin in March 2026."


def test_ask_strips_control_characters(capsys, built_project):
    code, out, _ = run(capsys, "ask", "When\x01 will\x7f construction\u200b begin?", "--json",
                       "--config", built_project.config_path)
    assert code == 0
    data = json.loads(out)
    assert data["question"] == "When will construction begin?"
    assert data["answer"]["text"] == "Construction will begin in March 2026."


# ----- summary, info, eval -----------------------------------------------------------------------

def test_summary_short_json(capsys, built_project):
    code, out, _ = run(capsys, "summary", "--length", "short", "--json", "--article", "tram.en",
                       "--config", built_project.config_path)
    assert code == 0
    data = json.loads(out.strip().splitlines()[-1])
    assert isinstance(data["sentences"], list)
    assert 1 <= len(data["sentences"]) <= 2
    assert data["article"] == "tram.en" and data["length"] == "short"
    paragraphs = (built_project.articles / "tram.en.txt").read_text(encoding="utf-8").split("\n")
    for s in data["sentences"]:
        assert any(s["text"] in paragraph for paragraph in paragraphs)
        assert s["paragraph"] >= 1 and s["sentence"] >= 1


def test_summary_text(capsys, built_project):
    code, out, _ = run(capsys, "summary", "--article", "tram.en", "--key-points", "--config",
                       built_project.config_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Will Halverton finally get its tram?"
    assert len(lines) >= 2 and all(line.startswith("  • ") for line in lines[1:])


FERRY_TEXT = "The ferry to Merrow Island runs every hour from May. The crossing takes forty minutes.\n"


def dated(project, name: str, text: str, added_at: str) -> None:
    project.add_article(name, text, f"added_at: '{added_at}'\n")


def test_summary_of_several_names_the_most_recently_added(capsys, make_project):
    project = make_project(bakery=True)  # tram.en and bakery.en, put there by hand: no added time
    dated(project, "ferry.en.txt", FERRY_TEXT, "2030-01-02T00:00:00+00:00")
    dated(project, "alpha.en.txt", "The alpine pass reopened on Monday. Snow closed it for a week.\n",
          "2030-01-01T00:00:00+00:00")
    code, out, _ = run(capsys, "summary", "--config", project.config_path)
    lines = out.splitlines()
    assert code == 0 and lines[0] == ("Summary of The ferry to Merrow Island runs every hour from May. (ferry.en), "
                                      "the most recently added of 4 articles; pick another with --article ID")
    assert "forty minutes" in lines[1]
    data = json.loads(run(capsys, "summary", "--json", "--config", project.config_path)[1])
    assert (data["article"], data["chosen"], data["articles_in_scope"]) == ("ferry.en", "most_recently_added", 4)


def test_summary_of_several_without_added_times_takes_the_first_by_id_and_says_so(capsys, make_project):
    project = make_project(bakery=True)
    code, out, _ = run(capsys, "summary", "--config", project.config_path)
    assert out.splitlines()[0] == ("Summary of The old bakery on Station Road reopened on Monday after a fire last "
                                   "winter. (bakery.en), the first by id of 2 articles (none says when it was "
                                   "added); pick another with --article ID")
    data = json.loads(run(capsys, "summary", "--json", "--config", project.config_path)[1])
    assert (data["article"], data["chosen"], data["articles_in_scope"]) == ("bakery.en", "first_by_id", 2)


def test_summary_of_the_only_article_or_the_one_asked_for_has_no_note(capsys, make_project):
    alone = make_project()
    code, out, _ = run(capsys, "summary", "--config", alone.config_path)
    assert code == 0 and out.splitlines()[0] == "Will Halverton finally get its tram?"
    assert json.loads(run(capsys, "summary", "--json", "--config", alone.config_path)[1])["chosen"] == "only_article"
    several = make_project(bakery=True)
    out = run(capsys, "summary", "--article", "tram.en", "--config", several.config_path)[1]
    assert out.splitlines()[0] == "Will Halverton finally get its tram?"
    data = yaml.safe_load(several.config_path.read_text(encoding="utf-8"))
    write_yaml(several.config_path, {**data, "default_article": "tram.en"})
    out = run(capsys, "summary", "--json", "--config", several.config_path)[1]
    assert (json.loads(out)["article"], json.loads(out)["chosen"]) == ("tram.en", "default_article")


def test_info_text(capsys, built_project):
    code, out, _ = run(capsys, "info", "--config", built_project.config_path)
    assert code == 0
    lines = out.splitlines()
    assert "tram.en: Will Halverton finally get its tram? [en, 10 sentences] — test corpus" in lines
    assert any(line.startswith("bakery.en: The old bakery") for line in lines)
    assert f"index: {built_project.index}" in lines
    assert "  sentences: 14" in lines
    assert "  encoder dense: hashing:64:0 (dim 64)" in lines
    assert "  encoder topic: hashing:32:0 (dim 32)" in lines


def test_info_json(capsys, built_project):
    code, out, _ = run(capsys, "info", "--json", "--config", built_project.config_path)
    assert code == 0
    data = json.loads(out)
    assert [a["id"] for a in data["articles"]] == ["bakery.en", "tram.en"]
    assert data["manifest"]["encoders"]["dense"] == {"id": "hashing:64:0", "dim": 64}
    assert data["index_dir"] == str(built_project.index)


def test_no_added_time_is_made_up_for_articles_put_in_by_hand(capsys, built_project, tmp_path):
    """The build's time is not when an article was added: an article without ``added_at`` in its sidecar
    shows none (the shipped one, anything dropped in articles/ by hand); one added by `add` shows its own."""
    config = ("--config", built_project.config_path)
    code, out, _ = run(capsys, "list", *config)
    assert code == 0 and len(out.splitlines()) == 2 and "added" not in out
    assert [a["added_at"] for a in json.loads(run(capsys, "list", "--json", *config)[1])] == [None, None]
    assert [a["added_at"] for a in json.loads(run(capsys, "info", "--json", *config)[1])["articles"]] == [None, None]
    source = tmp_path / "ferry.txt"
    source.write_text("The ferry to Merrow Island runs every hour. It takes forty minutes.\n", encoding="utf-8")
    assert run(capsys, "add", source, "--id", "ferry", *config)[0] == 0
    side = yaml.safe_load((built_project.articles / "ferry.yaml").read_text(encoding="utf-8"))
    listed = {line.split(":")[0]: line for line in run(capsys, "list", *config)[1].splitlines()}
    assert listed["ferry"].endswith(f"(added {side['added_at']})") and "added" not in listed["tram.en"]


@pytest.fixture
def questions(tmp_path) -> Path:
    return write_yaml(tmp_path / "questions.yaml", [
        {"q": "When will construction begin?", "gold": ["Construction will begin in March\u00a02026"]},
        {"q": "When does the bakery open?", "gold": ["open six days a week"], "article": "bakery.en"},
        {"q": "Quand les travaux commencent-ils ?", "gold": ["begin in March 2026"]},
        {"q": "What is the weather on Mars?", "gold": []},
    ])


def test_eval_json(capsys, built_project, questions):
    code, out, _ = run(capsys, "eval", questions, "--json", "--config", built_project.config_path)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split() == ["lang", "n_on", "n_off", "top1", "top3", "mrr", "abst", "f_abst", "trap", "unrel",
                                "span", "ece"]
    assert any(line.startswith("all ") for line in lines)
    assert any(line.startswith("fr ") for line in lines)
    assert "4 questions in" in out
    figures = json.loads(lines[-1])
    assert set(figures) == EVAL_KEYS
    assert (figures["n_on"], figures["n_off"]) == (3, 1)
    assert figures["abstain_recall"] == 0.0 and figures["false_abstain"] == 0.0  # threshold 0: never abstains
    assert 0.0 <= figures["top1"] <= figures["top3"] <= 1.0
    assert figures["top1"] <= figures["mrr"] <= 1.0


def test_eval_abstaining(capsys, make_project, questions):
    project = make_project(abstain_threshold=1.0, bakery=True)
    code, out, _ = run(capsys, "eval", questions, "--json", "--verbose", "--config", project.config_path)
    assert code == 0
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures == {"n_on": 3, "n_off": 1, "top1": 0.0, "top3": 0.0, "mrr": 0.0,
                       "abstain_recall": 1.0, "false_abstain": 1.0, "trap_abstain": None,
                       "unrelated_abstain": 1.0, "span_hit": None, "n_span": 0,
                       "ece": None}  # nothing answered: no confidence to calibrate
    assert "OK [en] What is the weather on Mars?" in out  # verbose: one line per question
    assert "not_covered" in out


def question_lines(out: str) -> list[str]:
    """The lines `eval --verbose` prints, one per question: OK, r<rank>, -- or XX, then [language]."""
    return [line for line in out.splitlines() if re.match(r"(OK|XX|--|r\d+) \[\w+\] ", line)]


@pytest.fixture
def bot_log_level():
    """main() sets the 'bot' logger's level; put it back for the tests after."""
    logger = logging.getLogger("bot")
    level = logger.level
    yield
    logger.setLevel(level)


def test_global_verbose_before_eval_logs_at_debug(capsys, caplog, built_project, questions, bot_log_level):
    """`article-bot -v eval`: the global flag is kept (the eval option of the same name must not reset it)."""
    code, out, _ = run(capsys, "-v", "eval", questions, "--config", built_project.config_path)
    assert code == 0
    assert logging.getLogger("bot").level == logging.DEBUG
    assert any(r.levelno == logging.DEBUG and r.getMessage().startswith("engine ready in") for r in caplog.records)
    assert question_lines(out) == []  # -v is about logging: no line per question


def test_eval_verbose_prints_each_question_without_debug_logging(capsys, caplog, built_project, questions,
                                                                  bot_log_level):
    code, out, _ = run(capsys, "eval", questions, "--verbose", "--config", built_project.config_path)
    assert code == 0
    assert len(question_lines(out)) == 4
    assert "XX [en] What is the weather on Mars?" in out  # threshold 0: the off-topic question is answered
    assert logging.getLogger("bot").level == logging.INFO
    assert not [r for r in caplog.records if r.levelno == logging.DEBUG]


# ----- bad input ---------------------------------------------------------------------------------

def _project_with(make_project, name: str, content: bytes):
    project = make_project()
    (project.articles / name).write_bytes(content)
    return project


def _alone(make_project, name: str, content: bytes):
    """A project whose only article file is ``name``."""
    project = make_project(tram=False)
    (project.articles / name).write_bytes(content)
    return project.config_path


BAD_INPUTS = {
    "empty question": (lambda mp, tmp: ["ask", "", "--config", mp().config_path], "the question is empty"),
    "whitespace question": (lambda mp, tmp: ["ask", "  \t \n ", "--config", mp().config_path], "empty"),
    "10,000 characters": (lambda mp, tmp: ["ask", "why " * 2500, "--config", mp().config_path],
                          "characters long"),
    "control characters": (lambda mp, tmp: ["ask", "\x01\x02\x1b\x7f\u200b", "--config", mp().config_path],
                           "empty"),
    "k out of range": (lambda mp, tmp: ["ask", "why?", "--k", "50", "--config", mp().config_path],
                       "k must be"),
    "unknown article": (lambda mp, tmp: ["ask", "why?", "--article", "nope", "--config", mp().config_path],
                        "unknown article 'nope'"),
    "missing config": (lambda mp, tmp: ["ask", "why?", "--config", tmp / "missing.yaml"],
                       "config file not found"),
    "invalid config": (lambda mp, tmp: ["index", "--config",
                                        write_yaml(tmp / "bad.yaml", {"retrieval": {"dense": "word2vec"}})],
                       "key 'retrieval.dense.backend'"),
    "config syntax error": (lambda mp, tmp: ["index", "--config", _write(tmp / "bad.yaml", "a: [\n")],
                            "not valid YAML"),
    "missing articles folder": (lambda mp, tmp: ["ask", "why?", "--config",
                                                 write_yaml(tmp / "c.yaml", {"articles_dir": "nowhere"})],
                                "articles folder not found"),
    "no article": (lambda mp, tmp: ["index", "--config", mp(tram=False).config_path], "no article found"),
    "only article not UTF-8": (lambda mp, tmp: ["ask", "why?", "--config", _alone(mp, "latin1.txt", b"caf\xe9")],
                               "not UTF-8"),
    "only article empty": (lambda mp, tmp: ["index", "--config", _alone(mp, "empty.txt", b"")], "the article is empty"),
    "missing question file": (lambda mp, tmp: ["eval", tmp / "nope.yaml", "--config", mp().config_path],
                              "question file not found"),
    "invalid question file": (lambda mp, tmp: ["eval", _write(tmp / "q.yaml", "- {gold: [a]}\n"),
                                               "--config", mp().config_path], "item 1"),
    "question file syntax error": (lambda mp, tmp: ["eval", _write(tmp / "q.yaml", "- {q: [a\n"),
                                                    "--config", mp().config_path],
                                   "cannot read question file"),
    "sidecar syntax error": (lambda mp, tmp: ["index", "--config",
                                              _project_with(mp, "tram.en.yaml", b"title: [x\n").config_path],
                             "sidecar is not valid YAML"),
}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_exits_2_with_one_line(capsys, make_project, tmp_path, case):
    argv, needle = BAD_INPUTS[case]
    args = argv(make_project, tmp_path)
    capsys.readouterr()
    code, out, err = run(capsys, *args)
    assert_clean_error(code, out, err, needle)


def test_a_question_of_exactly_the_limit_is_answered_one_more_character_is_not(capsys, built_project):
    at_limit = ("why " * 250)[:999] + "?"  # max_question_chars: 1000
    code, out, _ = run(capsys, "ask", at_limit, "--json", "--config", built_project.config_path)
    assert code == 0 and json.loads(out)["question"] == at_limit
    code, out, err = run(capsys, "ask", at_limit + "?", "--config", built_project.config_path)
    assert_clean_error(code, out, err, "the question is 1,001 characters long; ask it in at most 1,000 characters")


@pytest.mark.parametrize("name, content, why", [
    ("latin1.txt", b"caf\xe9 cr\xe8me", "not UTF-8"),
    ("empty.txt", b"", "the article is empty"),
    ("blank.md", b" \n\n\t", "the article is empty"),
])
def test_one_bad_article_is_skipped_with_a_warning_and_the_others_answer(capsys, caplog, make_project, name, content,
                                                                         why):
    project = _project_with(make_project, name, content)
    with caplog.at_level(logging.WARNING, logger="bot"):
        code, out, err = run(capsys, "ask", "When will construction begin?", "--config", project.config_path)
    assert code == 0 and "2026" in out
    warnings = [r.getMessage() for r in caplog.records if name in r.getMessage()]
    assert len(warnings) == 1 and why in warnings[0] and "skipping" in warnings[0]
    assert [r.levelno for r in caplog.records if name in r.getMessage()] == [logging.WARNING]
    code, out, err = run(capsys, "list", "--json", "--config", project.config_path)
    assert code == 0
    listed = json.loads(out.strip().splitlines()[-1])
    assert [a["id"] for a in listed if not a.get("skipped")] == ["tram.en"]
    assert [(a["file"], why in a["skipped"]) for a in listed if a.get("skipped")] == [(name, True)]


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["ask"])
    assert exc.value.code == 2
    assert "question" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["summary", "--length", "huge"])
    assert exc.value.code == 2


# ----- help ------------------------------------------------------------------------------------

def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path the parser knows (``("feeds", "poll")``...), read from the parser itself."""
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out += [(*path, name), *commands(sub, (*path, name))]
    return out


def help_text(capsys, *path: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main([*path, "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


def test_help_lists_every_command_and_no_help_shows_markup(capsys):
    every = commands(build_parser())
    top = [c[0] for c in every if len(c) == 1]
    assert {"stats", "export", "sync", "preview", "run", "bench", "index", "add"} <= set(top)
    text = help_text(capsys)
    listed = " ".join(text.split()).split("Commands: ", 1)[1].split(".", 1)[0]
    assert listed == ", ".join(top)  # the description's list, in the order they are registered
    for name in top:
        assert re.search(rf"^    {name} ", text, re.M), f"{name} has no line of its own in --help"
    for path in [(), *every]:
        assert "``" not in help_text(capsys, *path), f"article-bot {' '.join(path)} --help shows RST markup"


# ----- the installed console script --------------------------------------------------------------

def test_console_script(built_project):
    script = Path(sys.executable).with_name("article-bot")
    assert script.is_file(), "the article-bot console script is not installed in this environment"
    ok = subprocess.run([script, "ask", "When will construction begin?", "--json", "--config",
                         built_project.config_path], capture_output=True, text=True, timeout=GUARD_S)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["answer"]["text"] == "Construction will begin in March 2026."
    assert "Traceback" not in ok.stderr
    bad = subprocess.run([script, "ask", "   ", "--config", built_project.config_path],
                         capture_output=True, text=True, timeout=GUARD_S)
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr == "article-bot: error: the question is empty: type a question about the article\n"
