"""bot/retrieval/kinds.py (its tables: kinds_words.py): expected answer kind of a question, typed spans of a
sentence, the answering span."""

from __future__ import annotations

import pytest

from bot.retrieval.kinds import COMPATIBLE, Kind, Span, answer_span, expected_kind, find_spans, has_kind

K = Kind


def texts(sentence: str) -> list[tuple[str, str]]:
    return [(s.kind.name, sentence[s.start:s.end]) for s in find_spans(sentence)]


def answer(sentence: str, kind: Kind, question: str = "") -> str | None:
    span = answer_span(sentence, kind, question)
    return None if span is None else sentence[span.start:span.end]


# ---------------------------------------------------------------- expected_kind
EN_QUESTIONS = [
    ("when does the tram open", K.DATE), ("wen is the launch", K.DATE), ("what year did xiaomi enter the us", K.DATE),
    ("what time does it leave", K.DATE), ("how long ago did it open", K.DATE), ("do you know when it opens", K.DATE),
    ("how long is the journey", K.DURATION), ("how long's the trip", K.DURATION),
    ("how many years did it take", K.DURATION), ("how many years old is she", K.AGE), ("how old is okafor", K.AGE),
    ("age of the mayor", K.AGE), ("how much does it cost", K.MONEY), ("hw much is a ticket", K.MONEY),
    ("how much $ did they raise", K.MONEY), ("what is the price of a ticket", K.MONEY),
    ("how much of the cost is covered by the state", K.PERCENT), ("what share of sales", K.PERCENT),
    ("what % of users", K.PERCENT), ("what percentage voted yes", K.PERCENT), ("how much rain fell", K.MEASURE),
    ("how much has the company grown", K.OTHER), ("how fast does it go", K.MEASURE),
    ("how deep is the lake", K.MEASURE),
    ("how long is the bridge", K.MEASURE), ("how many km is the line", K.MEASURE), ("how many ppl voted", K.QUANTITY),
    ("who is paying", K.PERSON), ("whos the ceo", K.PERSON), ("who will bear the cost", K.PERSON),
    ("which company built it", K.ORG), ("what company makes the trams", K.ORG), ("wheres the depot", K.PLACE),
    ("why was it delayed", K.REASON), ("y did they close the line", K.REASON), ("how come it was late", K.REASON),
    ("is it expensive", K.OTHER), ("did the price go up", K.OTHER), ("what did the mayor say", K.OTHER),
]
FR_QUESTIONS = [
    ("quand ouvre la ligne", K.DATE), ("c quand", K.DATE), ("kan est ce que ca ouvre", K.DATE),
    ("en quelle annee", K.DATE), ("à quelle heure part le tram", K.DATE),
    ("combien de temps dure le trajet", K.DURATION),
    ("pendant combien de temps", K.DURATION), ("combien ça coûte", K.MONEY), ("cb ca coute", K.MONEY),
    ("quel prix", K.MONEY), ("quel est le budget", K.MONEY), ("combien ont-ils paye", K.MONEY),
    ("combien de trams", K.QUANTITY), ("cb de personnes", K.QUANTITY), ("quel pourcentage", K.PERCENT),
    ("quelle part des ventes", K.PERCENT), ("quel âge a-t-il", K.AGE), ("quel age a hugo barra", K.AGE),
    ("qui est hugo barra", K.PERSON), ("ki dirige xiaomi", K.PERSON), ("quelle société fabrique les trams", K.ORG),
    ("ou se trouve le depot", K.PLACE), ("il part ou", K.PLACE), ("tu veux du the ou du cafe", K.OTHER),
    ("pk ils ont ferme", K.REASON), ("pourquoi le retard", K.REASON), ("à quelle vitesse", K.MEASURE),
    ("quelle profondeur", K.MEASURE), ("combien de kilometres", K.MEASURE), ("est-ce que le tram est gratuit", K.OTHER),
    ("quel est le projet qui a ete approuve", K.OTHER), ("va-t-il pleuvoir", K.OTHER),
]
ES_QUESTIONS = [
    ("cuando abre", K.DATE), ("cuándo abre la linea", K.DATE), ("cuanto tiempo dura", K.DURATION),
    ("cuantos años duro la obra", K.DURATION), ("cuantos años tiene el alcalde", K.AGE),
    ("cuánto cuesta el billete", K.MONEY), ("cuanto dinero recaudaron", K.MONEY), ("cuantos trenes hay", K.QUANTITY),
    ("que porcentaje", K.PERCENT), ("quien es hugo barra", K.PERSON), ("que empresa", K.ORG),
    ("donde esta northgate", K.PLACE), ("por qué se retrasó", K.REASON), ("xq cerraron", K.REASON),
    ("que tan rapido va", K.MEASURE), ("a que velocidad", K.MEASURE), ("cuantos km", K.MEASURE), ("es caro", K.OTHER),
]
DE_QUESTIONS = [
    ("wann öffnet die linie", K.DATE), ("seit wann", K.DATE), ("wie lange dauert die fahrt", K.DURATION),
    ("wie viele jahre hat es gedauert", K.DURATION), ("wie viel kostet das ticket", K.MONEY),
    ("wieviel kostet es", K.MONEY), ("was kostet das", K.MONEY), ("wie hoch sind die kosten", K.MONEY),
    ("wie viele trams", K.QUANTITY), ("wie viel prozent", K.PERCENT), ("wie alt ist er", K.AGE),
    ("wer ist hugo barra", K.PERSON), ("wen hat sie getroffen", K.PERSON), ("welches unternehmen baut", K.ORG),
    ("wo ist northgate", K.PLACE), ("woher kommt er", K.PLACE), ("wieso", K.REASON), ("weshalb", K.REASON),
    ("wie schnell fährt er", K.MEASURE), ("wie groß ist das gelände", K.MEASURE), ("wie tief", K.MEASURE),
    ("ist es teuer", K.OTHER), ("was ist der preis", K.MONEY), ("was ist der grund", K.REASON),
]


@pytest.mark.parametrize(("question", "kind"), EN_QUESTIONS + FR_QUESTIONS + ES_QUESTIONS + DE_QUESTIONS)
def test_expected_kind(question, kind):
    assert expected_kind(question) == kind


def test_expected_kind_normalises_case_accents_apostrophes_and_punctuation():
    assert expected_kind("  Who’s   PAYING??  ") == K.PERSON
    assert expected_kind("¿Cuánto CUESTA?") == K.MONEY
    assert expected_kind("Où se trouve le dépôt ?") == K.PLACE
    assert expected_kind("") == K.OTHER


# ---------------------------------------------------------------- find_spans
EN_SENTENCES = [
    ("The city council approved the tram on Tuesday by nine votes to two.",
     [("DATE", "Tuesday"), ("QUANTITY", "nine votes to two")]),
    ("Margaret Okafor, the authority's chief executive, said the line would cost $612 million and open in March 2026.",
     [("PERSON", "Margaret Okafor"), ("MONEY", "$612 million"), ("DATE", "March 2026")]),
    ("Trams will run from 7:15 a.m. and the journey of 12 km takes 40 minutes.",
     [("DATE", "7:15 a.m."), ("MEASURE", "12 km"), ("DURATION", "40 minutes")]),
    ("The line was delayed because of rising steel prices, Calder & Finch said.",
     [("REASON", "because of rising steel prices"), ("ORG", "Calder & Finch")]),
    ("A 54-year-old man from Northgate was arrested at 10.30 p.m. on Friday.",
     [("AGE", "54-year-old"), ("PLACE", "Northgate"), ("DATE", "10.30 p.m."), ("DATE", "Friday")]),
    ("The 24 trams will serve 19 stops, and fares will rise 15 percent next spring.",
     [("QUANTITY", "24 trams"), ("QUANTITY", "19 stops"), ("PERCENT", "15 percent"), ("DATE", "next spring")]),
    ("Okafor, 54, said a single ticket would cost 2.40 dollars.", [("AGE", "54"), ("MONEY", "2.40 dollars")]),
    ("Owing to a shortage of drivers, services were cut by 15 per cent in the autumn of 2028.",
     [("REASON", "Owing to a shortage of drivers"), ("PERCENT", "15 per cent"), ("DATE", "autumn of 2028")]),
    ("Dr. Amara Singh of Westmoor University said the river rose 2.5 metres in two days.",
     [("PERSON", "Dr. Amara Singh"), ("ORG", "Westmoor University"), ("MEASURE", "2.5 metres"),
      ("DURATION", "two days")]),
    ("The project, approved on March 3, 2025, will be funded by the Department for Transport.",
     [("DATE", "March 3, 2025"), ("ORG", "Department for Transport")]),
    ("Winds reached 60 knots and the temperature hit 38 °C, the NASA report said.",
     [("MEASURE", "60 knots"), ("MEASURE", "38 °C"), ("ORG", "NASA")]),
    ("The company, founded in 1998, employs 1,200 people in Northgate and sold 3 million units last year.",
     [("DATE", "1998"), ("QUANTITY", "1,200 people"), ("PLACE", "Northgate"), ("QUANTITY", "3 million units"),
      ("DATE", "last year")]),
    ("Prices rose 3% in May, two years after the depot opened, the ONS said on Wednesday.",
     [("PERCENT", "3%"), ("DATE", "May"), ("DURATION", "two years"), ("ORG", "ONS"), ("DATE", "Wednesday")]),
    ("Since it is cheaper, the mayor, who is 47, backs the tram.",
     [("REASON", "Since it is cheaper"), ("AGE", "47")]),
]
FR_SENTENCES = [
    ("Hugo Barra, le vice-président de Xiaomi en charge de l’international, a annoncé l’arrivée aux États-Unis.",
     [("PERSON", "Hugo Barra"), ("ORG", "Xiaomi"), ("PLACE", "États-Unis")]),
    ("Le projet coûtera 12,5\u00a0millions d’euros, soit 38\u00a0% de plus que prévu, selon la Chambre d’agriculture.",
     [("MONEY", "12,5\u00a0millions d’euros"), ("PERCENT", "38\u00a0%"), ("ORG", "Chambre d’agriculture")]),
    ("Âgé de 61 ans, M. Dupont a travaillé six ans à la SNCF, en raison de la fermeture du site.",
     [("AGE", "Âgé de 61 ans"), ("PERSON", "M. Dupont"), ("DURATION", "six ans"), ("ORG", "SNCF"),
      ("REASON", "en raison de la fermeture du site")]),
    ("Le vent a soufflé à 130 km/h et la température a atteint 38 °C mercredi, à 10 heures.",
     [("MEASURE", "130 km/h"), ("MEASURE", "38 °C"), ("DATE", "mercredi"), ("DATE", "10 heures")]),
    ("Fin 2015, Xiaomi vendait 2 000 téléphones par jour en Chine pour 450 000 euros.",
     [("DATE", "Fin 2015"), ("ORG", "Xiaomi"), ("QUANTITY", "2 000 téléphones"), ("PLACE", "Chine"),
      ("MONEY", "450 000 euros")]),
    ("Les travaux dureront quatre ans, jusqu’à mi-2029, car le chantier est complexe.",
     [("DURATION", "quatre ans"), ("DATE", "mi-2029"), ("REASON", "car le chantier est complexe")]),
    ("Il y a deux ans, la mairie de Caen avait voté trois motions.",
     [("DATE", "Il y a deux ans"), ("DURATION", "deux ans"), ("ORG", "mairie de Caen"), ("QUANTITY", "trois motions")]),
    ("Le chantier, lancé le 14 juillet 2017, a coûté 1,2 milliard d’euros à la Banque de France.",
     [("DATE", "14 juillet 2017"), ("MONEY", "1,2 milliard d’euros"), ("ORG", "Banque de France")]),
    ("Selon Jean-Pierre Martin, le tram circulera à 70 km/h dès 5 h 30.",
     [("PERSON", "Jean-Pierre Martin"), ("MEASURE", "70 km/h"), ("DATE", "5 h 30")]),
    ("Les agriculteurs ont perdu 300 hectares à cause de la sécheresse, a indiqué la Chambre d'agriculture.",
     [("MEASURE", "300 hectares"), ("REASON", "à cause de la sécheresse"), ("ORG", "Chambre d'agriculture")]),
    ("Elle a 61 ans et travaille depuis 2010 pour EDF à Lyon.",
     [("AGE", "61 ans"), ("DATE", "2010"), ("ORG", "EDF"), ("PLACE", "Lyon")]),
    ("Le navire filait à 12 nœuds, à 20 milles nautiques des côtes, afin d’éviter la tempête.",
     [("MEASURE", "12 nœuds"), ("MEASURE", "20 milles nautiques"), ("REASON", "afin d’éviter la tempête")]),
    ("La ligne de 14,5\u00a0km comptera 24 stations et transportera 45\u202f000 voyageurs par jour dès l’automne 2028.",
     [("MEASURE", "14,5\u00a0km"), ("QUANTITY", "24 stations"), ("QUANTITY", "45\u202f000 voyageurs"),
      ("DATE", "automne 2028")]),
]


@pytest.mark.parametrize(("sentence", "expected"), EN_SENTENCES + FR_SENTENCES)
def test_find_spans_exact_texts(sentence, expected):
    assert texts(sentence) == expected


def test_every_kind_but_other_is_found_in_each_language():
    for sentences in (EN_SENTENCES, FR_SENTENCES):
        found = {kind for sentence, _ in sentences for kind, _ in texts(sentence)}
        assert found == {k.name for k in Kind} - {"OTHER"}


def test_offsets_hold_with_no_break_spaces_and_typographic_apostrophes():
    s = "Coût\u202f: 12,5\u00a0millions d’euros, soit 38\u00a0% du budget de l’État."
    spans = find_spans(s)
    money = next(sp for sp in spans if sp.kind == K.MONEY)
    percent = next(sp for sp in spans if sp.kind == K.PERCENT)
    assert (money.start, money.end) == (s.index("12,5"), s.index(", soit"))
    assert s[percent.start:percent.end] == "38\u00a0%"
    assert all(0 <= sp.start < sp.end <= len(s) for sp in spans)
    assert spans == sorted(spans, key=lambda sp: sp.start)


def test_sixty_one_ans_is_an_age_only_in_an_age_context():
    assert texts("Il a travaillé 61 ans dans la mine.") == [("DURATION", "61 ans")]
    assert ("AGE", "61 ans") in texts("Le conducteur, 61 ans, a été blessé.")
    assert ("AGE", "61 ans") in texts("Un homme de 61 ans a été blessé.")
    assert not [k for k, _ in texts("Il y a 61 ans, la mine a fermé.") if k == "AGE"]


def test_articles_and_hyphenated_units_are_not_ages():
    assert texts("The US$5 charge, a 12-hour shift and a two-year contract.") == [
        ("MONEY", "US$5"), ("DURATION", "12-hour"), ("DURATION", "two-year")]
    assert texts("Il a vécu six ans avec une demi-heure de trajet.") == [
        ("DURATION", "six ans"), ("DURATION", "une demi-heure")]


def test_names_with_particles_suffixes_and_titles():
    s = "The Ministry of Defence, Renault SA and Charles de Gaulle met Mr Smith in Paris, not in May."
    assert texts(s) == [("ORG", "Ministry of Defence"), ("ORG", "Renault SA"), ("PERSON", "Charles de Gaulle"),
                        ("PERSON", "Mr Smith"), ("PLACE", "Paris"), ("DATE", "May")]
    assert texts("Hugo Barra left.") == []  # sentence-initial name without a role comma: not claimed


def test_no_spurious_spans_in_plain_prose():
    assert find_spans("the council met and nothing was decided") == []
    assert texts("The company may open a shop, due to open soon.") == []  # "may" modal, "due to" + verb


# ---------------------------------------------------------------- answer_span
def test_answer_span_prefers_the_span_nearest_the_question_words():
    s = "The tram cost $612 million to build, while the new depot in Northgate will cost $40 million."
    assert answer(s, K.MONEY, "how much will the depot cost") == "$40 million"
    assert answer(s, K.MONEY, "how much did the tram cost") == "$612 million"
    assert answer(s, K.MONEY) == "$612 million"  # no question: the first
    s = "The depot opened in 2019 and the line will open in March 2026."
    assert answer(s, K.DATE, "when did the depot open") == "in 2019"  # with its preposition (see widening)
    assert answer(s, K.DATE, "when will the line open") == "in March 2026"


def test_who_is_name_returns_the_role():
    fr = "Hugo Barra, le vice-président de Xiaomi en charge de l’international, a annoncé l’arrivée aux États-Unis."
    assert answer(fr, K.PERSON, "who is hugo barra") == "le vice-président de Xiaomi en charge de l’international"
    assert answer(fr, K.PERSON, "c qui hugo barra") == "le vice-président de Xiaomi en charge de l’international"
    assert answer("Hugo Barra is the vice-president of Xiaomi, the maker.", K.PERSON, "whos hugo barra") \
        == "the vice-president of Xiaomi"
    assert answer("Hugo Barra left Google in 2013.", K.PERSON, "who is hugo barra") is None


def test_person_answer_skips_the_person_the_question_names():
    s = "In 2017, Hugo Barra was replaced by Jean-Pierre Martin."
    assert answer(s, K.PERSON, "who replaced hugo barra") == "Jean-Pierre Martin"
    assert answer("The trams were built by Calder & Finch.", K.PERSON, "who built the trams") == "Calder & Finch"


def test_answer_span_uses_compatible_kinds_and_returns_none_when_nothing_fits():
    assert answer("The line is 12 km long.", K.QUANTITY, "how many") == "12 km"
    assert answer("Okafor, 54, runs the authority.", K.AGE, "how old is okafor") == "54"
    assert answer("Okafor runs the authority.", K.AGE, "how old is okafor") is None
    assert answer("The line cost $612 million.", K.QUANTITY, "how many trams") is None
    assert answer("The line cost $612 million.", K.OTHER, "what happened") is None


# ---------------------------------------------------------------- has_kind
def test_has_kind_follows_the_compatibility_table():
    assert set(COMPATIBLE) == set(Kind) - {K.OTHER}
    assert all(kind in kinds for kind, kinds in COMPATIBLE.items())
    org, measure, money, age = Span(K.ORG, 0, 3), Span(K.MEASURE, 0, 3), Span(K.MONEY, 0, 3), Span(K.AGE, 0, 3)
    assert has_kind([org], K.PERSON) is True
    assert has_kind([measure], K.QUANTITY) is True
    assert has_kind([money], K.QUANTITY) is False
    assert has_kind([age], K.DURATION) is False
    assert has_kind([], K.DATE) is False
    assert has_kind([money], K.OTHER) is None


def test_has_kind_on_real_sentences():
    spans = find_spans("Margaret Okafor, the authority's chief executive, said the line would open in March 2026.")
    assert has_kind(spans, expected_kind("how old is okafor")) is False
    assert has_kind(spans, expected_kind("wen does it open")) is True
    assert has_kind(spans, expected_kind("who runs the authority")) is True
    assert has_kind(spans, expected_kind("what did she say")) is None


def test_a_capitalised_particle_alone_is_no_name():
    assert find_spans("Du côté de la mairie, on attend.") == []


def test_every_dev_sentence_and_hostile_text_is_handled():
    """Spans run on every answer the bot gives: no sentence of any dev article, nor hostile text, breaks them."""
    from pathlib import Path

    from bot.corpus.parse import load_articles
    from tests.support.hostile import CATALOGUE

    root = Path(__file__).resolve().parents[2]
    texts = [s.text for folder in [root / "articles", *sorted((root / "eval").glob("*/articles"))]
             for article in load_articles(folder) for s in article.sentences]
    texts += [question for _, question, _ in CATALOGUE]
    assert len(texts) > 300
    for text in texts:
        for span in find_spans(text):
            assert 0 <= span.start < span.end <= len(text)
        for kind in Kind:
            answer_span(text, kind, text[:40])


@pytest.mark.parametrize("sentence, kind, question, expected", [
    ("Drilling the first well will take about 11 weeks, the company said.", K.DURATION, "how long", "about 11 weeks"),
    ("A household will save about €240 a year on heating.", K.MONEY, "how much will a household save",
     "about €240 a year"),
    ("Les travaux commenceront au printemps 2027, selon la préfecture.", K.DATE, "c quand les travaux",
     "au printemps 2027"),
    ("Le fourrage coûte désormais 180 euros la tonne.", K.MONEY, "cb coute le fourrage", "180 euros la tonne"),
    ("Le système couvrira près de 80\u00a0% des besoins.", K.PERCENT, "quelle part", "près de 80\u00a0%"),
])
def test_answer_spans_keep_their_qualifiers(sentence, kind, question, expected):
    assert answer(sentence, kind, question) == expected


def test_a_question_with_no_typed_answer_gets_the_clause_holding_its_words():
    s = "Certes, d’autres marques commencent à grignoter ses parts de marché en Chine, mais il reste quatrième."
    # The English question's words, translated into the article's (as the engine passes them), find the clause.
    span = answer_span(s, K.OTHER, "is xiaomi losing market share at home", hints=("parts", "marché"))
    assert s[span.start:span.end] == "d’autres marques commencent à grignoter ses parts de marché en Chine"
    assert answer_span(s, K.OTHER, "is xiaomi losing market share") is None  # no word of it in any clause
    assert answer_span("One clause only, and no words.", K.OTHER, "what") is None


def test_a_kind_asked_for_and_not_found_marks_nothing():
    s = "Selon Bloomberg, Hugo Barra, le vice-président de Xiaomi, parle d'un futur proche."
    assert answer_span(s, K.AGE, "how old is hugo barra", hints=("barra",)) is None
