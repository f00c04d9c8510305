"""`article-bot bench` prints its figures and, with --json, one JSON object on the last line."""

from __future__ import annotations

import json

from bot.cli.main import main
from tests.support.project import TRAM_TEXT, write_yaml

FERRY_TEXT = """\
The island council chose a new electric ferry on Monday after two years of delays. The ferry will carry 300 \
passengers and 40 cars on each crossing.

The new ferry starts its service in May 2027. Tickets will cost the same as today, the council said.
"""


def test_bench_json_figures(make_project, capsys):
    project = make_project(bakery=True, ann_threshold=50)
    assert main(["bench", "--asks", "5", "--build-sample", "30", "--corpus-size", "200", "--burst", "--json",
                 "--config", str(project.config_path)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(out[-1])
    for key in ("p50_ms", "p95_ms", "p99_ms", "encoder_p50_ms", "ratio", "cold_ask_s", "cold_build_s",
                "build_sents_per_s", "rss_mb", "corpus_size", "scale_query_p50_ms", "scale_query_p99_ms",
                "scale_lexical_p50_ms", "scale_recall_at_10", "scale_rss_mb", "burst_loop_lag_worst_ms",
                "burst_loop_lag_p99_ms", "burst_s"):
        assert key in figures, key
    assert figures["asks"] == 5 and figures["p50_ms"] > 0 and figures["ratio"] > 0
    assert figures["cold_ask_s"] > 0 and figures["build_sents_per_s"] > 0
    assert figures["scale_approximate"] is True and 0.9 <= figures["scale_recall_at_10"] <= 1.0
    assert 150 <= figures["corpus_size"] <= 220
    # The burst through SimCord: every question got exactly one reply; the lag is reported.
    assert figures["burst_questions"] == 500 and figures["burst_lost"] == figures["burst_duplicated"] == 0
    assert figures["burst_answers"] + figures["burst_cooldown_notices"] == 500
    assert 0 <= figures["burst_loop_lag_p99_ms"] <= figures["burst_loop_lag_worst_ms"]


def test_bench_incremental_figures(make_project, capsys):
    """The incremental run: a library of N articles, one more added, start-up on it (hashing encoders here)."""
    project = make_project(bakery=True, ann_threshold=100)
    assert main(["bench", "--asks", "2", "--build-sample", "0", "--no-cold", "--incremental", "8", "--json",
                 "--config", str(project.config_path)]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["incr_articles"] == 9
    assert figures["incr_sentences"] > 200 and figures["incr_approximate"] is True  # 8 × 30 rows, over 100: HNSW
    for key in ("incr_embed_s", "incr_add_s", "incr_add_budget_s", "incr_load_s", "incr_startup_s"):
        assert figures[key] > 0, key
    assert abs(figures["incr_add_budget_s"] - (1.5 * figures["incr_embed_s"] + 1.0)) < 0.002


def dev_set(root, name: str, text: str, question: str) -> None:
    """One dev set as the bench reads them: ``<name>/articles/<name>.en.txt`` and ``<name>/questions.yaml``."""
    (root / name / "articles").mkdir(parents=True)
    (root / name / "articles" / f"{name}.en.txt").write_text(text, encoding="utf-8")
    write_yaml(root / name / "questions.yaml", [{"q": question, "gold": [text.split(". ")[0]]}])


def test_bench_feed_figures_from_the_sets_given_with_questions(make_project, tmp_path, capsys):
    """--feed publishes the dev sets of --questions on the loopback page server; the engine polls them."""
    project = make_project(tram=False, bakery=True)
    dev_set(tmp_path / "sets", "tram", TRAM_TEXT, "How long will the tram line be?")
    dev_set(tmp_path / "sets", "ferry", FERRY_TEXT, "When does the new ferry start?")
    assert main(["bench", "--asks", "2", "--build-sample", "0", "--no-cold", "--feed", "--questions",
                 str(tmp_path / "sets"), "--json", "--config", str(project.config_path)]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["questions"] == 2  # the two sets' questions, not the repository's eval/
    assert figures["feed_one_added"] == 1 and figures["feed_all_added"] == 1  # the second poll adds the other
    assert figures["feed_one_poll_s"] > 0 and figures["feed_repoll_304_s"] >= 0


def test_bench_feed_without_dev_sets_says_which_option_gives_them(make_project, tmp_path, capsys):
    project = make_project()
    assert main(["bench", "--asks", "2", "--build-sample", "0", "--no-cold", "--feed", "--questions",
                 str(tmp_path), "--config", str(project.config_path)]) == 2
    assert "--feed needs dev sets" in capsys.readouterr().err


def test_bench_hands_over_each_step_as_it_is_measured(make_project, capsys):
    """Every figure comes with the step that measured it, in order, before the next step starts;
    `article-bot bench` prints them then, and says on stderr how long each step took."""
    from bot.devtools import bench

    project = make_project()
    steps: list[tuple[str, list[str]]] = []
    figures = bench.run(project.config(), asks=2, build_sample=20, cold=False,
                        on_step=lambda what, got, seconds: steps.append((what, list(got))))
    assert [what for what, _ in steps] == ["setting", "warm latency (2 asks)", "build throughput (20 sentences)",
                                          "journal", "memory"]
    assert "p50_ms" in dict(steps)["warm latency (2 asks)"] and "build_sents_per_s" in steps[2][1]
    assert [key for _, keys in steps for key in keys] == list(figures)

    assert main(["bench", "--asks", "2", "--build-sample", "0", "--no-cold", "--config",
                 str(project.config_path)]) == 0
    printed = capsys.readouterr()
    assert "bench: warm latency (2 asks) took" in printed.err
    assert printed.out.splitlines()[0].split() == ["questions", str(figures["questions"])]
