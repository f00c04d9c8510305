"""The engine with the reader on: its span and evidence in the answer, the three tiers on the console and
in --json, ``info``, ``reader: null``, and one clear error when its weights are damaged."""

from __future__ import annotations

import json

import pytest

from bot.cli.main import main
from bot.reader.weights import SHIPPED, WEIGHTS_NAME

QUESTION = "When will construction begin?"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def reading(make_project):
    """The tram article, the hashing encoders and the shipped reader reading every candidate."""
    return make_project(reader={"k": 8})


def test_the_answer_quotes_the_sentence_the_reader_picked_with_its_span(capsys, reading):
    code, out, _ = run(capsys, "ask", QUESTION, "--json", "--config", reading.config_path)
    assert code == 0
    data = json.loads(out)
    answer = data["answer"]
    assert answer["text"] == "Construction will begin in March 2026."
    assert "March 2026" in answer["text"][answer["span"][0]:answer["span"][1]]
    assert data["evidence"]["reader_top"] > 0  # the reader would rather answer than say nothing
    assert set(data["evidence"]) >= {"reader_top", "reader_margin", "reader_agree"}


@pytest.mark.parametrize("thresholds, tier, first_line", [
    ({}, "answer", "Answer "),
    ({"answer_threshold": 1.0}, "unsure", "The article may not say this exactly — closest passage:"),
    ({"abstain_threshold": 1.0}, "not_covered", "The question is not covered by the article"),
])
def test_each_tier_on_the_console_and_in_json(capsys, make_project, thresholds, tier, first_line):
    project = make_project(reader={"k": 8}, **thresholds)
    code, out, _ = run(capsys, "ask", QUESTION, "--config", project.config_path)
    assert code == 0 and out.splitlines()[0].startswith(first_line), out
    if tier != "not_covered":
        assert "*March 2026*" in out or "*in March 2026*" in out  # the reader's span, emphasised
    code, out, _ = run(capsys, "ask", QUESTION, "--json", "--config", project.config_path)
    data = json.loads(out)
    assert data["tier"] == tier and data["abstained"] is (tier == "not_covered")


def test_info_names_the_reader_and_reader_null_turns_it_off(capsys, reading, make_project):
    code, out, _ = run(capsys, "info", "--config", reading.config_path)
    assert code == 0 and any(line.startswith("reader: reader:") and "reads 8 sentences" in line
                             for line in out.splitlines())
    off = make_project()  # the test configs say reader: null
    code, out, _ = run(capsys, "info", "--config", off.config_path)
    assert "reader: off (retrieval.reader: null)" in out
    code, out, _ = run(capsys, "ask", QUESTION, "--json", "--config", off.config_path)
    assert json.loads(out)["evidence"]["reader_top"] is None


def test_damaged_weights_stop_the_command_with_one_line_naming_the_fix(capsys, make_project, tmp_path):
    weights = tmp_path / "weights"
    weights.mkdir()
    for f in SHIPPED.iterdir():
        (weights / f.name).write_bytes(f.read_bytes())
    data = bytearray((weights / WEIGHTS_NAME).read_bytes())
    data[1000] ^= 0xFF
    (weights / WEIGHTS_NAME).write_bytes(bytes(data))
    project = make_project(reader={"k": 4, "weights": str(weights)})
    code, out, err = run(capsys, "ask", QUESTION, "--config", project.config_path)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "is damaged" in err and "eval/train_reader.py" in err and len(err.strip().splitlines()) == 1
