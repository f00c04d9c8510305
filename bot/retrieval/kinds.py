"""Answer kinds: what kind of answer a question wants, and where that kind sits in a sentence.

What it knows:

- ``expected_kind`` reads casual questions in English, French, Spanish and German (lowercase, no
  accents, chat spellings such as "wen", "cb", "pk", "xq") by question phrase. The phrase that
  starts first wins ("who will bear the cost" is PERSON); at the same place the more specific
  rule wins ("how many years old" AGE > "how many years" DURATION > "how many" QUANTITY). Topic
  words ("price", "reason") count too, except in yes/no questions, which are OTHER unless they
  embed a question phrase ("do you know when..."). "who" is PERSON (an ORG answers it too, see
  :data:`COMPATIBLE`); growth questions ("how much has X grown") are OTHER, since the answer may be
  a percentage, an amount or "from X to Y".
- ``find_spans`` finds in French and English sentences, with regular expressions: numbers (any
  thousands separator, decimals, written numbers) with their currency, percent sign, unit or time
  unit; dates and clock times; ages; reason clauses; capitalised names as person, org or place.
  Overlaps across kinds are kept, except those in ``_YIELDS_TO``: a bare count inside a money,
  date... span goes, "61 ans" is AGE only in an age context ("âgé de", ", 61 ans,", "a 61 ans"),
  and "il y a deux ans" / "two years ago" is both a DATE and a DURATION.
- ``answer_span`` picks the span that answers; ``has_kind`` says whether spans carry the expected
  kind. Both go through the one :data:`COMPATIBLE` table.

What it does not know: no gazetteer beyond a few countries and cities, no parser, no entity model.
One capitalised word mid-sentence is reported as ORG (it may be a surname or a product); two or
more are a PERSON unless a keyword says organisation or place, so some product names pass as
people. A sentence-initial name counts only before a role comma ("Margaret Okafor, the ...").
PLACE spans are the name without its preposition ("aux États-Unis" gives "États-Unis").
Spanish and German sentences are not analysed.
"""

from __future__ import annotations

import bisect
import enum
import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["COMPATIBLE", "Kind", "Span", "answer_span", "expected_kind", "find_spans", "has_kind"]


class Kind(enum.StrEnum):
    """What kind of answer a question wants; the kind of a span."""

    DATE = "date"
    DURATION = "duration"
    MONEY = "money"
    PERCENT = "percent"
    AGE = "age"
    MEASURE = "measure"
    QUANTITY = "quantity"
    PERSON = "person"
    ORG = "org"
    PLACE = "place"
    REASON = "reason"
    OTHER = "other"


@dataclass(frozen=True)
class Span:
    """``sentence[start:end]`` is text of this kind."""

    kind: Kind
    start: int
    end: int


K = Kind
#: Expected kind -> span kinds that carry it. QUANTITY takes MEASURE ("how many" + a unit is a measure) but not
#: MONEY/PERCENT/AGE; PERSON and ORG take each other (capitalised names cannot be told apart reliably);
#: DURATION does not take AGE. OTHER has no entry: no evidence either way.
COMPATIBLE: dict[Kind, frozenset[Kind]] = {
    K.DATE: frozenset({K.DATE}), K.DURATION: frozenset({K.DURATION}), K.MONEY: frozenset({K.MONEY}),
    K.PERCENT: frozenset({K.PERCENT}), K.AGE: frozenset({K.AGE}), K.MEASURE: frozenset({K.MEASURE}),
    K.QUANTITY: frozenset({K.QUANTITY, K.MEASURE}), K.PERSON: frozenset({K.PERSON, K.ORG}),
    K.ORG: frozenset({K.ORG, K.PERSON}), K.PLACE: frozenset({K.PLACE}), K.REASON: frozenset({K.REASON}),
}
_NUMERIC = frozenset({K.MONEY, K.PERCENT, K.MEASURE, K.AGE, K.DURATION, K.DATE})
#: A span of the key kind is dropped when it overlaps a span of one of these kinds.
_YIELDS_TO: dict[Kind, frozenset[Kind]] = {
    K.QUANTITY: _NUMERIC, K.DURATION: frozenset({K.AGE, K.DATE}), K.MEASURE: frozenset({K.MONEY, K.PERCENT}),
    K.PERSON: frozenset({K.ORG}), K.PLACE: frozenset({K.ORG, K.MONEY}),
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})


def _fold(text: str) -> str:
    """Lowercase, accents off, ``'`` for typographic apostrophes; one character for one (offsets hold)."""
    return "".join((unicodedata.normalize("NFKD", c)[:1] or c).lower()[:1] for c in text.translate(_APOSTROPHES))


def _alt(words: str) -> str:
    return "(?:" + "|".join(words.split()) + ")"


# ---------------------------------------------------------------- word lists (folded, one place each)
_FUNCTION_WORDS = frozenset(
    "the a an this that these those it its in on at for from by with after before but and or if when while as of to "
    "is are was were be been has have had will would can could do does did not no yes he she they we i you his her "
    "their our there here also then however according about over under than more less per some many most all each "
    "what who where why how which le la les l un une des du de d ce cette ces cet il elle ils elles on nous vous je j "
    "en dans pour par sur avec sans selon mais et ou si quand lors apres avant depuis pendant son sa ses leur leurs "
    "notre nos c qu lorsque alors ainsi aussi deja certes toutefois neanmoins donc puis ensuite desormais tous "
    "tout toute toutes plus moins est sont a ont au aux que qui "
    "el los las y o por para con es se lo del der die das und oder ist im mit von zu den dem ein eine".split())
_MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december janvier fevrier mars "
    "avril mai juin juillet aout septembre octobre novembre decembre monday tuesday wednesday thursday friday "
    "saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche jan feb mar apr jun jul aug sep sept oct nov "
    "dec".split())
_ORG_WORDS = frozenset(
    "inc ltd llc plc sa sas sarl gmbh ag corp corporation group groupe authority council university universite bank "
    "banque chambre association syndicat union ministry ministere agence agency company compagnie commission "
    "institute institut foundation fondation federation party parti committee comite board department court "
    "tribunal conseil mairie assemblee senate senat parliament parlement holdings partners airlines airways motors "
    "technologies systems labs media news police school college hospital hopital club".split())
_PLACE_HEADS = frozenset(
    "street st road rd avenue ave boulevard square lane bridge park station airport port harbour harbor river lake "
    "bay island islands mount mountains county province region district valley coast beach line town city village "
    "rue place gare aeroport pont quai parc lac ile departement vallee mont ligne plage canal".split())
_PLACES = frozenset(
    "france chine china etats-unis us usa uk royaume-uni europe inde india allemagne germany japon japan russie "
    "russia espagne spain italie italy bresil brazil canada mexique mexico afrique africa asie asia paris london "
    "londres bruxelles brussels berlin madrid pekin beijing ukraine belgique belgium suisse switzerland".split())
_PLACE_PREPS = frozenset("in at near into across outside around throughout inside a au aux en dans vers".split())
_WEAK_PLACE_PREPS = frozenset("from to".split())
_NEAR_WORDS = frozenset("pres loin nord sud est ouest provenance originaire centre banlieue".split())
_PARTICLES = frozenset("de du des d' van von der den da di of for la le l' del".split())
_TITLES = frozenset("Dr Dr. Mr Mr. Mrs Mrs. Ms Ms. M. Mme Mlle Me Pr Pr. Prof Prof. Sir Dame".split())
_NOT_ORG = frozenset("CEO PDG DG TV AM PM OK GDP PIB AI IA SMS GPS USB PDF NB PS II III IV VI VII IX XI XX".split())
_DEMONYM_ENDINGS = ("ese", "ean", "ian", "ish", "ais", "ois", "aise", "oise", "ien", "ienne")
_OPENERS = frozenset('. ! ? : « " “ ( — – - [ …'.split())

# ---------------------------------------------------------------- numbers, units, dates: sentence patterns
_UP = "A-ZÀ-ÖØ-Þ"
_WORD_NUMBERS = _alt(
    "seventeen thirteen fourteen eighteen nineteen fifteen sixteen seventy hundred thousand billions billion "
    "millions million milliards milliard quarante cinquante soixante quatorze eleven twelve twenty thirty forty "
    "fifty sixty eighty ninety three seven eight dozen quatre trente treize quinze three deux trois cinq sept huit "
    "neuf onze douze seize vingt mille cents cent four five nine two six ten dix")
_DIGITS = r"(?<![\w.,])(?<!\w-)(?:\d{1,3}(?:[,. \u00a0\u202f]\d{3})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
_WORDNUM = (rf"(?i:\b(?:(?:an?|one)\s(?=hundred|thousand|million|billion|dozen)|une?\s(?=million|milliard))?"
            rf"{_WORD_NUMBERS}"
            rf"(?:(?:[\s-]|\s(?:and|et)\s)(?:{_WORD_NUMBERS}|one|un|une))*\b)")
_NUMBER = rf"(?:{_DIGITS}|{_WORDNUM})"
_AMOUNT = rf"{_NUMBER}(?:\s?(?i:millions?|milliards?|billions?|trillions?|thousand|mille|bn)(?!\w))?"
_CURRENCY = (r"(?:(?i:dollars?(?:\s(?:américains|US))?|euros?|livres?(?:\ssterling)?|pounds?(?:\ssterling)?"
             r"|francs?(?:\ssuisses)?|yuans?|yens?|roubles?|cents?|centimes?|pence)|USD|EUR|GBP|CHF|[$€£¥])")
_UNIT_WORDS = (
    "kilomètres? carrés", "square (?:kilomet(?:re|er)s?|met(?:re|er)s?|miles?|feet)", "mètres? carrés",
    "mètres? cubes", "cubic met(?:re|er)s?", "kilomètres? (?:par|à l['’]) heure", "kilomet(?:re|er)s? (?:per|an) hour",
    "miles? (?:per|an) hour", "nautical miles?", "milles? nautiques?", "kilomètres?", "kilomet(?:re|er)s?",
    "centimètres?", "centimet(?:re|er)s?", "millimètres?", "millimet(?:re|er)s?", "mètres?", "met(?:re|er)s?",
    "miles?", "feet", "foot", "inch(?:es)?", "pieds?", "hectares?", "acres?", "litres?", "liters?", "gallons?",
    "tonnes?", "tons?", "kilogram(?:me)?s?", "kilos?", "grammes?", "grams?", "degrés?(?: Celsius| Fahrenheit)?",
    "degrees?(?: Celsius| Fahrenheit)?", "knots?", "nœuds?", "noeuds?", "(?:kilo|méga|mega)watt[- ]?(?:heures?|hours?)",
    "(?:kilo|méga|mega|giga)?watts?", "volts?",
)
_UNIT_SYMBOLS = "km/h km² km2 m² m2 m³ m3 km cm mm mph m ha kg °C °F ° MWh GWh TWh kWh MW GW kW ft lbs? Mt Go GB Mo MB"
_UNIT = rf"(?:(?i:{'|'.join(_UNIT_WORDS)})|{_alt(_UNIT_SYMBOLS)})(?![\w²³])"
_TIME_UNIT = (r"(?i:secondes?|seconds?|secs?|minutes?|mins?|heures?|hours?|hrs?|journées?|jours?|days?|semaines?"
              r"|weeks?|mois|months?|ans|années?|years?|yrs?|décennies?|decades?|siècles?|centur(?:y|ies))(?!\w)")
_FEW = r"(?i:an?|one|un|une|a\sfew|several|quelques|plusieurs|many|des|de\snombreuses|half\san?|une\sdemi)"
_DURATION = rf"(?:{_NUMBER}[\s-]|{_FEW}[\s-]){_TIME_UNIT}"
_MONTH_EN = "January February March April June July August September October November December May".split()
_MONTH_EN_ALL = "(?:" + "|".join(_MONTH_EN) + r"|(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.)"
_MONTH_FR = "(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre)"
_MONTH = rf"(?:{_MONTH_EN_ALL}|(?i:{_MONTH_FR}))"
_MONTH_BARE = "(?:" + "|".join(_MONTH_EN[:-1]) + "|" + _MONTH_FR + ")"  # no "May", French lowercase only
_DAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?i:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche))"
_YEAR = r"(?:19|20)\d{2}(?!\d)"
_DAYNUM = r"(?:\d{1,2}(?:er|st|nd|rd|th|e)?|premier)"
_AMPM = r"\s?(?:a\.m\.|p\.m\.|am|pm)(?![\w])"
_REASON_CUE = (
    r"(?i:because(?:\sof)?|due\sto(?!\s(?:open|start|be|begin|close|finish|end|launch|arrive|take|come|run|resume"
    r"|complete|retire|vote|go|enter)\b)|owing\sto|as\sa\sresult\sof|thanks\sto|in\sorder\sto|so\sas\sto|so\sthat"
    r"|given\sthat|for\sfear\sof|to\savoid|to\sprevent|(?:en\sraison|à\scause|du\sfait|faute|afin|dans\sle\sbut"
    r"|en\svue)\s?(?:de\s|d['’]|du\s|des\s)|parce\squ(?:e\b|['’])|grâce\s(?:à|aux?)\b|afin\squ(?:e\b|['’])"
    r"|pour\séviter|puisqu(?:e\b|['’])|étant\sdonné\squ(?:e\b|['’])|vu\squ(?:e\b|['’])|suite\sà)"
    r"|(?<=,\s)car\b|\b[Ss]ince\s(?=(?:it|they|he|she|we|I|you|there|this|that|these|those)\s(?:is|are|isn't"
    r"|aren't|does|do|doesn't|don't|can|cannot|can't|will|won't|would|must|should)\b)"
)
_CLAUSE = r"(?:[^,;:.!?()«»\"“”—–]|(?<=\d)[.,](?=\d))*"
_AGE_NOUNS = r"(?i:homme|femme|garçon|fille|enfant|adolescente?|jeune|retraitée?|patiente?|victime|père|mère|bébé)s?"
_SPAN_PATTERNS: tuple[tuple[Kind, str], ...] = (
    (K.MONEY, rf"(?:US|C|A|HK)?[$€£¥]\s?{_AMOUNT}(?:\s?(?:m|k|bn|M|K)(?!\w))?"),
    (K.MONEY, rf"{_AMOUNT}(?:\s(?:de\s|d['’]|of\s)|\s?){_CURRENCY}(?![\w])"),
    (K.PERCENT, rf"{_AMOUNT}\s?%|{_AMOUNT}\s(?i:per\s?cent|pour\s?cent|percent|pourcent|percentage\spoints?"
                rf"|points?\sde\spourcentage)(?!\w)"),
    (K.AGE, rf"(?i:aged|âgée?s?\sde)\s{_NUMBER}(?:\s(?i:ans|years))?|{_NUMBER}[\s-]years?[\s-]olds?"),
    (K.AGE, rf"(?i:age\sof|âge\sde)\s(?P<v>{_NUMBER}(?:\s(?:ans|years))?)|(?<![yY]\s)\b(?i:a|avait|aura|aurait"
            rf"|ont|avaient|fête|fêtera)\s(?P<w>{_NUMBER}\sans)(?!\s(?:de|d['’]))"),
    (K.AGE, rf"{_AGE_NOUNS}\s(?:de|d['’]|âgée?s?\sde)\s?(?P<v>{_NUMBER}\sans)"),
    (K.AGE, r"(?<=[,(])\s?(?P<v>\d{1,3}\sans)(?=\s?[,)])|[" + _UP + r"][\w'’-]*,\s(?P<w>\d{1,3})(?=,)"
            r"|\b(?:he|she|who)\s(?:is|was)\s(?P<x>\d{1,3})(?=\s?[,.;)]|$)|\bturn(?:s|ed|ing)?\s(?P<y>\d{1,3})\b"),
    (K.MEASURE, rf"{_NUMBER}\s?{_UNIT}"),
    (K.DURATION, rf"{_DURATION}|\b(?i:decades?|décennies?)\b"),
    (K.DATE, rf"(?:{_DAY},?\s)?(?:the\s)?{_DAYNUM}\s(?:of\s)?{_MONTH}(?:,?\s{_YEAR})?"),
    (K.DATE, rf"(?:{_DAY},?\s)?{_MONTH_EN_ALL}\s\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:,?\s{_YEAR})?"),
    (K.DATE, rf"(?:(?i:early|late|mid|the\send\sof|end\sof|début|fin|mi|courant|à\sla\smi)[\s-]?)?"
             rf"(?:{_MONTH}\s(?:de\s|of\s)?{_YEAR}|{_MONTH_BARE}\b(?:\s(?:dernier|prochain))?)"),
    (K.DATE, r"\b(?:in|of|by|since|until|from|before|after|this|last|next|early|late|mid-)\s?(?P<v>May)\b"),
    (K.DATE, rf"(?i:(?:fin|début|courant|mi|early|late|mid|the\send\sof|end\sof|the\sstart\sof|start\sof|the\s"
             rf"beginning\sof|beginning\sof|spring|summer|autumn|fall|winter|printemps|été|automne|hiver)"
             rf"(?:\sof|\sde|\sd['’])?[\s-]){_YEAR}"),
    (K.DATE, r"(?i:(?:next|last|this|coming|early|late)\s(?:spring|summer|autumn|fall|winter|year|month|week(?:end)?"
             r"|decade)|(?:l['’]an|l['’]année|le\smois|la\ssemaine|le\sweek-end|l['’]été|l['’]automne|l['’]hiver"
             r"|le\sprintemps)\s(?:prochaine?|dernière?|passée?)|cette\sannée|cette\ssemaine|ce\smois-ci|cet\sété"
             r"|cet\sautomne|cet\shiver|ce\sprintemps|au\sprintemps|in\sthe\s(?:spring|summer|autumn|winter)"
             r"|yesterday|tomorrow|tonight|today|hier|demain|aujourd['’]hui|ce\ssoir|ce\smatin)\b"),
    (K.DATE, rf"(?:(?:last|next|this)\s)?{_DAY}(?:\s(?:prochain|dernier|matin|soir|morning|afternoon|evening))?"),
    (K.DATE, rf"(?<!\d)(?:\d{{1,2}}[:h]\d{{2}}(?:{_AMPM})?|\d{{1,2}}(?:[.:]\d{{2}})?{_AMPM}"
             rf"|\d{{1,2}}\s?h(?:\s?\d{{2}})?(?!\w))"
             r"|(?i:(?:à|vers|dès|jusqu['’]à|avant|après)\s)(?P<v>\d{1,2}\s?heures?(?:\s?\d{2})?)"
             r"|\b(?:noon|midnight|midi|minuit)\b|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?!\d)|\d{4}-\d{2}-\d{2}"),
    (K.DATE, r"(?:the\s)?(?:19|20)\d0s\b|(?i:les\s)?années\s(?:19|20)?\d0\b"),
    (K.DATE, rf"{_DURATION}\s(?i:ago)\b|(?i:il\sy\sa)\s{_DURATION}"),
    (K.REASON, rf"(?:{_REASON_CUE}){_CLAUSE}"),
    (K.ORG, r"\b(?i:ministère|chambre|agence|syndicat|conseil|mairie|préfecture|université|banque|fédération)"
            rf"\s(?:de\sla\s|de\sl['’]|des\s|du\s|de\s|d['’])[^\W\d_][\w-]*"
            rf"(?:\s(?:de\sla\s|de\sl['’]|des\s|du\s|de\s|d['’])[{_UP}][\w-]*)*"),
    (K.QUANTITY, rf"{_NUMBER}(?:\s[^\W\d_]+)?\s(?i:to|à|contre|against)\s{_NUMBER}(?![\w])"),
)
_COMPILED = tuple((kind, re.compile(p)) for kind, p in _SPAN_PATTERNS)
_COUNT = re.compile(rf"{_AMOUNT}(?![^\W\d_])(?P<n>\s[^\W\d_][\w-]*)?")
_BARE_YEAR = re.compile(rf"(?<![\w.,/-]){_YEAR}(?![\w%]|[.,]\d|\s?%)")
_YEAR_BEFORE = re.compile(
    r"(?i:\b(?:in|en|since|depuis|of|de|du|by|until|till|from|to|à|au|and|et|or|ou|between|entre|before|after|avant"
    r"|après|jusqu['’]en|dès|for|pour|during|pendant|the|its|their|this|that|year|season|saison|année)\s*$)")
_YEAR_AFTER = re.compile(r"\s*(?:[,.;:)!?»”\"–—-]|$)")
_AGO = re.compile(r"(?i)\bago\b|\bil\s+y\s+a\b")
_TOKEN = re.compile(r"(?<![^\W\d_])(?i:[dlnjmtsc]|qu|jusqu|lorsqu|puisqu)['’](?=[^\W\d_])"
                    r"|[^\W\d_](?:[^\W_]|[-'’](?!s\b)(?=[^\W\d_]))*|\d+|\S")

# ---------------------------------------------------------------- questions (matched on the folded question)
_HOW_MUCH = r"(?:how|hw|hoe)\s*(?:much|mch|mutch|muc)"
_HOW_MANY = r"(?:how|hw|hoe)\s*(?:many|mny|manny|meny)"
_COMBIEN = r"(?:combien|cb|cbn)"
_Q_UNITS = ("|".join(_fold(w) for w in _UNIT_WORDS) + "|km|cm|mm|kg|ha|mw|gw|kw|kwh|mwh|mph|ft|lbs?|rain|snow|water"
            "|energy|electricity|power|fuel|gas|oil|land|space|waste|weight|pluie|neige|eau|energie|electricite"
            "|carburant|terrain|dechets|lluvia|agua|energia|electricidad|regen|wasser|strom|flache")
_Q_MONEY_VERBS = (r"cost\w*|pay|paid|pays|paying|spend|spent|charge\w*|earn\w*|worth|price\w*|sell|sold|raise\w*"
                  r"|invest\w*|fund\w*|owe\w*|borrow\w*|budget\w*|make|made|paye\w*|payer|coute\w*|depense\w*"
                  r"|investi\w*|gagne\w*|rapporte\w*|finance\w*|vendu\w*|achete\w*|leve\w*")
_Q_GROWTH = (r"grow|grew|grown|rise|rose|risen|increase\w*|fall|fell|fallen|drop\w*|decline\w*|jump\w*|climb\w*"
             r"|augment\w*|baiss\w*|progress\w*|recul\w*|diminu\w*|hausse|crec\w*|aument\w*|baj\w*|subi\w*|cayo"
             r"|gestiegen|gesunken|gewachsen|zugenommen|abgenommen|wachs\w*|steig\w*|sink\w*")
_WEN_EN = r"(?=\s(?:is|was|did|does|do|will|are|were|r|has|have|can|should|would|u)\b)"
#: (kind, counts in a yes/no question, pattern). Earliest match wins; at the same place, the first rule.
_QUESTION_RULES: tuple[tuple[Kind, bool, str], ...] = (
    (K.AGE, True, rf"\bhow\s*old\b|\b{_HOW_MANY}\s*(?:years|yrs)\s*old\b|\b(?:at )?what age\b|\b(?:a )?quel\s*age\b"
                  r"|\bcuant[oa]s\s*anos\s*(?:tiene|tenia|tendra|tienen|tenian|cumple|cumplio|cumplira)\b"
                  r"|\bque edad\b|\bwie\s*alt\b|\bin welchem alter\b|\bmit wie ?viel(?:en)? jahren\b"),
    (K.PERCENT, True, rf"\b(?:what|wat|wht|which)\s*(?:percent(?:age)?\b|share\b|proportion\b|fraction\b|%)"
                      rf"|\b{_HOW_MUCH}\s*(?:of\b|%)|\bby what percent|\bquel(?:le)?\s*(?:pourcentage|part|proportion"
                      r"|taux)\b|\bcombien de\s*(?:%|pour ?cent|pourcent)|\bque\s*(?:porcentaje|proporcion)\b"
                      r"|\bcuanto por ?ciento\b|\bwie\s*viele?\s*prozent\b|\bwelche[rn]?\s*anteil\b"
                      r"|\b(?:how high|wie hoch)\b(?=.*\b(?:rate|unemployment|inflation|share|anteil|quote)\b)"),
    (K.MEASURE, True, r"\bhow\s*long(?:'s|s|\s*(?:is|was|are|were|will be))\s*(?:the|this|that|it)?\s*(?:new )?"
                      r"(?:bridge|tunnel|line|track|road|route|runway|wall|river|coast\w*|trail|pipeline|cable|border"
                      r"|beach|course|dam|fence|street|canal|path|ship|train|tram|boat|vessel)\b"
                      r"|\bhow\s*(?:fast|big|large|deep|hot|cold|warm|far|tall|high|heavy|wide|strong|powerful)\b"
                      r"|\b(?:a|en) quelle (?:vitesse|distance|hauteur|profondeur|altitude|temperature)\b"
                      r"|\bquelle (?:taille|profondeur|hauteur|longueur|largeur|distance|superficie|surface"
                      r"|temperature|vitesse|puissance|capacite|altitude|epaisseur)\b|\bquel (?:poids|volume"
                      rf"|diametre|debit)\b|\b{_COMBIEN} (?:mesure|pese|pesent|mesurent)\b|\bque tan (?:rapido"
                      r"|grande|profund[oa]|alt[oa]|lejos|larg[oa]|caliente|pesad[oa]|ancho)\b|\ba que (?:velocidad"
                      r"|distancia|altura|profundidad|temperatura)\b|\bque (?:tamano|profundidad|altura|distancia"
                      r"|longitud|superficie|velocidad|temperatura)\b|\bcuanto (?:mide|miden|pesa|pesan)\b|\bwie"
                      r" (?:schnell|gross|tief|hoch(?!.*\b(?:preis|kosten|miete|gehalt|budget|betrag|summe)\b)"
                      r"|weit|lang|schwer|warm|heiss|kalt|breit|stark)\b"
                      rf"|\b(?:{_HOW_MANY}|{_HOW_MUCH}|{_COMBIEN}\s*(?:de|d')|cuant[oa]s?|wie ?viele?)\s*"
                      rf"(?:{_Q_UNITS})\b"),
    (K.OTHER, True, rf"\b(?:by )?(?:{_HOW_MUCH}|de combien|en combien|cuanto|um wie ?viel|wie stark)\b"
                    rf".{{0,40}}\b(?:{_Q_GROWTH})\b"),
    (K.MONEY, True, rf"\b{_HOW_MUCH}(?!\s*time)\s*(?:\$|€|£|money\b|cash\b|dollars?\b|euros?\b|pounds?\b|(?=.*\b"
                    rf"(?:{_Q_MONEY_VERBS})\b))|\b{_COMBIEN}\s*(?:ca |sa )?(?:coute\w*|vaut|valent|cout\w*)\b"
                    rf"|\b{_COMBIEN}\s*(?:d'argent|d'euros|de dollars|d'€|de \$)|\b{_COMBIEN}(?!\s*(?:de|d')\b)"
                    rf"(?=.*\b(?:{_Q_MONEY_VERBS})\b)|\b(?:a )?quel (?:prix|cout|montant|budget|tarif|salaire)\b"
                    r"|\bcuanto\s*(?:cuesta|cuestan|costo|costaron|costara|vale|valen|valio|dinero|cobra\w*|gana\w*"
                    r"|pag\w*|invirti\w*|gast\w*)\b|\b(?:que|cual es el|a que) (?:precio|coste|costo|presupuesto"
                    r"|salario|monto|importe)\b|\bcuant[oa]s?\s*(?:euros|dolares|libras)\b|\b(?:was|wie ?viel) kost"
                    r"|\bwie ?viel\s*(?:geld|euro|dollar|zahl\w*|bezahl\w*|verdien\w*|investier\w*|ausgegeben)\b"
                    r"|\bwie hoch\b(?=.*\b(?:preis|kosten|miete|gehalt|budget|betrag|summe|schaden|strafe)\b)"
                    r"|\bzu welchem preis\b"),
    (K.DURATION, True, rf"\bhow\s*long\b(?!\s*ago)|\b{_HOW_MANY}\s*(?:years|yrs|months|weeks|days|hours|hrs|minutes"
                       rf"|mins|seconds|decades|centuries)\b|\b{_HOW_MUCH}\s*time\b|\b{_COMBIEN}\s*(?:de |d')\s*"
                       r"(?:temps|annees|ans|mois|jours|semaines|heures|minutes|secondes|decennies|siecles)\b|\bpendant"
                       r" combien\b|\bdepuis combien\b|\bquelle (?:duree|periode)\b|\bcuanto tiempo\b|\bcuant[oa]s\s*"
                       r"(?:anos|meses|semanas|dias|horas|minutos|segundos|decadas|siglos)\b|\bcuanto (?:dura|duro"
                       r"|durara|tarda|tardo|tardara|llevan?)\b|\bwie\s*lange\b|\bwie\s*viele?\s*(?:jahre|monate"
                       r"|wochen|tage|stunden|minuten|sekunden|jahrzehnte)\b|\bwie\s*viel\s*zeit\b"),
    (K.DATE, True, rf"\bhow\s*long\s*ago\b|\b(?:when|whens|when's|whn|wheb)\b|\bwen\b{_WEN_EN}|\b(?:what|which|wat"
                   r"|wht)\s*(?:year|yr|date|day|time|month|season|decade|week)\b|\b(?:quand|kand|kan|qd)\b"
                   r"|\b(?:quel|quelle|kel|kelle)\s*(?:annee|date|heure|jour|mois|saison|epoque|semaine)\b"
                   r"|\ba quelle (?:heure|date|epoque|periode)\b|\bcuando\b|\b(?:que|cual|en que)\s*(?:ano|fecha"
                   r"|dia|hora|mes|epoca)\b|\bwann\b|\b(?:welche[mnrs]?|in welchem|an welchem)\s*(?:jahr|datum|tag"
                   r"|monat|uhrzeit|woche)\b|\bum wie ?viel uhr\b"),
    (K.ORG, True, r"\b(?:which|what|wich|wat|wht)\s*(?:compan(?:y|ies)|firms?|business|corporation|organi[sz]ation"
                  r"|group|bank|agency|brand|manufacturer|maker|carrier|airline|operator|startup|outlet|newspaper"
                  r"|team|club|party|council|authority|institution|supplier|contractor|developer|insurer|retailer"
                  r"|studio|university|network|union|broadcaster|ministry|department)\b|\b(?:quel|quelle|kel|kelle)s?"
                  r"\s*(?:entreprise|societe|boite|firme|marque|organisation|banque|agence|compagnie|association"
                  r"|institution|universite|enseigne|chaine|equipe|groupe|organisme|operateur|constructeur|fabricant"
                  r"|fournisseur|journal|media|parti|ministere|start-?up|syndicat|collectivite)s?\b|\b(?:que|cual"
                  r"|cuales)\s*(?:empresas?|compania|firma|marca|organizacion|banco|agencia|grupo|fabricante"
                  r"|operador|partido|equipo|universidad|medio|periodico)\b|\bwelche[mnrs]?\s*(?:firma|firmen"
                  r"|unternehmen|konzern|organisation|bank|agentur|marke|hersteller|betreiber|gruppe|partei|behorde"
                  r"|zeitung|verein|universitat|startup|gesellschaft)\b"),
    (K.PLACE, True, r"\b(?:where|wheres|where's|wher|whr)\b|\bwere(?=\s(?:is|did|does|do)\b)|\b(?:which|what|wich"
                    r"|wat)\s*(?:city|cities|country|countries|town|region|state|place|village|street|neighbou?rhood"
                    r"|area|continent|county|province|district|location|site|venue|island|address)\b|^(?:et |mais"
                    r" |c |c'est |cest )?ou\b|\b(?:d'ou|par ou)\b|\bou (?:se (?:trouve|situe|passe|deroule)\w*|est"
                    r"|sont|etait|sera|ca|va|vont|habite|vit)\b|\b(?:c'est|cest|c) ou\b|\bou$|\b(?:dans |en )?"
                    r"(?:quel|quelle|kel|kelle)\s*(?:ville|pays|region|endroit|lieu|quartier|commune|departement"
                    r"|continent|rue|adresse|village|site|zone|ile|province|etat)\b|\b(?:donde|adonde|dnd)\b"
                    r"|\b(?:que|cual|en que)\s*(?:ciudad|pais|region|lugar|barrio|provincia|estado|zona|calle|sitio"
                    r"|continente|isla)\b|\b(?:wo|wohin|woher)\b|\b(?:in )?welche[mnrs]?\s*(?:stadt|land|region"
                    r"|ort|gegend|staat|bundesland|viertel|strasse|kontinent|insel|gemeinde|dorf)\b"),
    (K.PERSON, True, r"\b(?:who|whos|who's|whom|whose|whoo)\b|\b(?:which|what)\s*(?:person|man|woman|guy|minister"
                     r"|official|executive|ceo|president|mayor|spokes\w*|leader|player|artist|author|founder)\b"
                     r"|^(?:et |mais )?(?:qui|ki)\b|\b(?:c'est|cest|c|par|de|a|avec|pour|contre|selon|chez)"
                     r" (?:qui|ki)\b|\b(?:qui|ki)$|\b(?:quel|quelle)\s*(?:personne|ministre|maire|president"
                     r"|directeur|dirigeant|patron|pdg|porte-parole|responsable|auteur|fondateur|joueur)\b"
                     r"|\b(?:quien|quienes|kien)\b|\b(?:wer|wen|wem|wessen)\b"),
    (K.REASON, True, r"\b(?:why|whys|why's|wy|whyy)\b|^y\s(?=(?:did|do|does|is|are|was|were|would|will|has|have"
                     r"|had|not|dont|didnt|cant|they|he|she|it|u|r)\b)|\bhow come\b|\bfor what reason\b|\bwhat"
                     r" (?:caused|causes|led to|prompted|drove)\b|\bwhat for\b|\b(?:pourquoi|pk|pq|pkoi|pourkoi"
                     r"|prq|pcq)\b|\bpour quelle raison\b|\bcomment (?:ca|se) fait\b|\b(?:por que|porque|porq|xq"
                     r"|xk|por q)\b|\bpara que\b|\bcomo es que\b|\b(?:warum|wieso|weshalb|weswegen|wozu)\b"
                     r"|\baus welchem grund\b"),
    (K.QUANTITY, True, rf"\b{_HOW_MANY}\b|\b{_COMBIEN}\b|\bcuant[oa]s\b|\bwie ?viele?\b|\bwhat (?:number|amount)\b"),
    (K.MONEY, True, rf"\b{_HOW_MUCH}\b|\bcuant[oa]\b"),
    (K.PERCENT, False, r"%|\bper ?cent\w*\b|\bpour ?cent\b|\bpourcentage\b|\bporcentaje\b|\bprozent\b"),
    (K.MONEY, False, r"\$|€|£|\b(?:cost|costs|price|prices|priced|budget|prix|cout|coute|tarifs?|montant|precios?"
                     r"|coste|costo|cuesta|kostet|kosten|preise?|betrag)\b"),
    (K.AGE, False, r"\b(?:age|edad|alter)\b"),
    (K.REASON, False, r"\b(?:reasons?|raisons?|motivo|razon|grund|cause|caused)\b"),
    (K.QUANTITY, False, r"\b(?:number of|nombre de|numero de|anzahl|population|einwohner)\b"),
    (K.DATE, False, r"\b(?:date|deadline|datum|fecha)\b"),
    (K.PLACE, False, r"\b(?:location|address|adresse|lieu|located|situee?|based|basee?)\b"),
)
_Q_COMPILED = tuple((kind, wh, re.compile(p)) for kind, wh, p in _QUESTION_RULES)
_YES_NO = re.compile(
    r"^(?:(?:and|so|but|et|mais|y|pero|und|also|ok|hey)\s)?(?:was\s(?!ist|sind|war|wird|hat|kostet|kosten|macht"
    r"|bedeutet|passiert)|(?:is|isnt|are|arent|wasnt|were|will|wont|would"
    r"|can|cant|could|does|doesnt|did|didnt|do|dont|has|hasnt|have|havent|had|should|shall|may|might|must|esk"
    r"|eske|es|esta|estan|hay|fue|ha|han|tiene|tienen|puede|pueden|ist|sind|war|waren|wird|werden|hat|haben"
    r"|gibt|kann|konnen|muss|soll|wurde)\b|est[- ]ce\b|y a[- ]t[- ]il\b|[a-z]+-t?-?(?:il|elle|ils|elles|on)\b)")


def _normalize_question(question: str) -> str:
    text = _fold(question.replace("ß", "ss").replace("œ", "oe"))
    return " ".join(re.sub(r"[?!.,;:¿¡()\[\]\"«»*_~]", " ", text).split())


def expected_kind(question: str) -> Kind:
    """The kind of answer a question wants; OTHER for what/how/yes-no questions."""
    text = _normalize_question(question)
    yes_no = bool(_YES_NO.match(text))
    best: tuple[int, int, Kind] | None = None
    for order, (kind, wh, pattern) in enumerate(_Q_COMPILED):
        if yes_no and not wh:
            continue
        m = pattern.search(text)
        if m and (best is None or (m.start(), order) < best[:2]):
            best = (m.start(), order, kind)
    return best[2] if best else Kind.OTHER


# ---------------------------------------------------------------- spans
def _trimmed(kind: Kind, sentence: str, start: int, end: int) -> Span:
    while end > start and sentence[end - 1].isspace():
        end -= 1
    return Span(kind, start, end)


def _pattern_spans(sentence: str) -> list[Span]:
    out = []
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(sentence):
            group = next((g for g in pattern.groupindex if m.group(g)), None)
            start, end = m.span(group) if group else m.span()
            if end > start:
                out.append(_trimmed(kind, sentence, start, end))
    for m in _BARE_YEAR.finditer(sentence):
        if _YEAR_BEFORE.search(sentence[max(0, m.start() - 12):m.start()]) or _YEAR_AFTER.match(sentence, m.end()):
            out.append(Span(K.DATE, m.start(), m.end()))
    for m in _COUNT.finditer(sentence):
        noun = m.group("n")
        keep = noun and noun[1:2].islower() and _fold(noun.strip()) not in _FUNCTION_WORDS
        out.append(Span(K.QUANTITY, m.start(), m.end() if keep else m.start("n") if noun else m.end()))
    return out


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int


def _tokens(sentence: str) -> list[_Tok]:
    toks = [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
    merged: list[_Tok] = []
    for tok in toks:  # "M" "." -> "M."
        if tok.text == "." and merged and merged[-1].end == tok.start and merged[-1].text + "." in _TITLES:
            merged[-1] = _Tok(merged[-1].text + ".", merged[-1].start, tok.end)
        else:
            merged.append(tok)
    return merged


def _is_name(tok: _Tok) -> bool:
    return tok.text[:1].isupper() and (_is_acronym(tok.text) or _fold(tok.text) not in _FUNCTION_WORDS | _MONTHS_DAYS)


def _is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 6 and text.isalpha() and text.isupper()


def _gap_ok(sentence: str, a: _Tok, b: _Tok) -> bool:
    return len(sentence[a.end:b.start]) <= 2 and not sentence[a.end:b.start].strip(" \u00a0\u202f")


def _classify(sentence: str, toks: list[_Tok], i: int, group: list[_Tok]) -> Kind | None:
    folded = [_fold(t.text) for t in group]
    names = [t.text for t in group if t.text != "&" and _fold(t.text) not in _PARTICLES]
    if not names:  # a capitalised particle alone ("Du", "Van" at the start of a sentence)
        return None
    prev, prev2 = (_fold(toks[i - k].text) if i >= k else "" for k in (1, 2))
    starts = i == 0 or toks[i - 1].text in _OPENERS or "\n" in sentence[toks[i - 1].end:toks[i].start]
    if "&" in folded or any(f in _ORG_WORDS for f in folded):
        return K.ORG
    if any(f in _PLACE_HEADS for f in folded) or {" ".join(map(_fold, names)), _fold(names[0])} & _PLACES:
        return K.PLACE
    if names[0] in _TITLES:
        return K.PERSON if len(names) > 1 else None
    if prev in _PLACE_PREPS:
        return K.PLACE
    if len(names) > 1:
        if all(_is_acronym(n) for n in names):
            return K.ORG
        role_comma = sentence[group[-1].end:].lstrip(" \u00a0\u202f").startswith(",")
        return K.PERSON if not starts or role_comma else None
    if _is_acronym(names[0]):
        return None if names[0] in _NOT_ORG else K.ORG
    if prev in _WEAK_PLACE_PREPS or (prev in ("de", "d'", "du") and prev2 in _NEAR_WORDS):
        return K.PLACE
    lone_ok = not starts and len(names[0]) > 1 and not names[0].endswith(_DEMONYM_ENDINGS)
    return K.ORG if lone_ok else None  # a lone capitalised word: company, outlet, surname or product


def _name_spans(sentence: str) -> list[Span]:
    toks, out, i = _tokens(sentence), [], 0
    while i < len(toks):
        if not _is_name(toks[i]):
            i += 1
            continue
        group, j = [toks[i]], i + 1
        while j < len(toks):
            if _is_name(toks[j]) and _gap_ok(sentence, toks[j - 1], toks[j]):
                group.append(toks[j])
                j += 1
                continue
            k = j  # up to two particles or "&" between names: "Charles de Gaulle", "Calder & Finch"
            while k < len(toks) and k - j < 2 and (_fold(toks[k].text) in _PARTICLES or toks[k].text == "&") \
                    and _gap_ok(sentence, toks[k - 1], toks[k]):
                k += 1
            heads = {_fold(t.text) for t in group} & (_ORG_WORDS | _PLACE_HEADS)
            if k == j or k >= len(toks) or not _is_name(toks[k]) or not _gap_ok(sentence, toks[k - 1], toks[k]) \
                    or not (len(group) == 1 or heads or toks[j].text == "&"):
                break
            group += toks[j:k + 1]
            j = k + 1
        kind = _classify(sentence, toks, i, group)
        if kind:
            out.append(Span(kind, group[0].start, group[-1].end))
        i = j
    return out


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


@functools.lru_cache(maxsize=8192)  # the same article sentences come back question after question; never mutated
def find_spans(sentence: str) -> list[Span]:
    """All typed spans of a French or English sentence, sorted by start; kinds may overlap."""
    kept: list[Span] = []
    for span in sorted(_pattern_spans(sentence) + _name_spans(sentence), key=lambda s: (s.start - s.end, s.start)):
        if not any(k.kind == span.kind and _overlaps(k, span) for k in kept):  # longest of a kind wins
            kept.append(span)

    def yields(span: Span, other: Span) -> bool:
        ago = other.kind == K.DATE and span.kind == K.DURATION and _AGO.search(sentence[other.start:other.end])
        return other.kind in _YIELDS_TO.get(span.kind, ()) and _overlaps(span, other) and not ago

    return sorted((s for s in kept if not any(yields(s, o) for o in kept)), key=lambda s: (s.start, s.end, s.kind))


# ---------------------------------------------------------------- choosing the answer
_WHO_IS = re.compile(r"\b(?:who(?:'s|s| is| was)|(?:qui|ki) (?:est|etait)|c(?:'est|est)? (?:qui|ki)|quien (?:es|era"
                     r"|fue)|wer (?:ist|war))\s+(?P<x>.+)$")
_CLAUSE_CUT = re.compile(r"[,;:()—–](?!\d)|\s(?:and|et|while|whereas|but|mais|alors que|tandis que)\s")
_ROLE = re.compile(r"\s*(?:,\s*(?:who is\s|qui est\s)?|\s(?:is|was|became|est|était|devient|est devenu)\s)"
                   r"(?P<r>[^,;:.()—–]*[^\W\d_][^,;:.()—–]*)")


def _question_words(question: str) -> set[str]:
    words = re.findall(r"[^\W_]+", _normalize_question(question))
    return {w for w in words if (len(w) > 2 or w.isdigit()) and w not in _FUNCTION_WORDS}


def _anchors(folded_sentence: str, qwords: set[str]) -> list[tuple[str, tuple[int, int]]]:
    """(question word, where) for each sentence word that matches one (same word or same first five letters)."""
    found = []
    for m in re.finditer(r"[^\W_]+", folded_sentence):
        w = m.group()
        found += [(q, m.span()) for q in qwords if w == q or (len(q) > 3 and w.startswith(q[:5]))]
    return found


def _given(folded_sentence: str, span: Span, qwords: set[str]) -> bool:
    words = re.findall(r"[^\W_]+", folded_sentence[span.start:span.end])
    return bool(words) and all(w in qwords for w in words if w not in _FUNCTION_WORDS)


def _role(sentence: str, folded: str, question: str) -> Span | bool | None:
    """For "who is <name found capitalised in the sentence>": the role phrase after it, or False; else None."""
    m = _WHO_IS.search(_normalize_question(question))
    name = m and re.search(r"\b" + r"\s+".join(map(re.escape, m.group("x").split())) + r"\b", folded)
    if not name or not sentence[name.start()].isupper():
        return None
    role = _ROLE.match(sentence, name.end())
    return _trimmed(K.PERSON, sentence, role.start("r"), role.end("r")) if role else False


def answer_span(sentence: str, kind: Kind, question: str = "", hints: tuple[str, ...] = ()) -> Span | None:
    """The span of ``kind`` (or a compatible kind) that answers ``question``; None when none fits.

    Exact-kind spans come before compatible ones; spans that only repeat the question are skipped. Among several,
    the one whose clause holds most question words wins, then the one nearest them, then the first. "who is
    <name in the sentence>" returns the role after the name ("Hugo Barra, le vice-président de Xiaomi, ...", or
    "X is the ..."), kind PERSON, or None when the sentence gives no role.
    """
    qwords = _question_words(" ".join([question, *hints]))  # hints: the question's words in the article's language
    span = _typed_span(sentence, kind, question, qwords)
    if span is not None and span.kind not in (K.PERSON, K.REASON):
        span = _widen(sentence, span)
    if span is None and kind == K.OTHER:  # an age asked for and none found: nothing to mark, not a clause
        return _best_clause(sentence, qwords)
    return span


#: Words that belong to an amount or a date when they stand just before it ("about 140 jobs", "près de
#: 80 %", "le 3 juin", "au printemps 2027") or just after it ("€240 a year", "180 euros la tonne").
_BEFORE = re.compile(r"(?:\b(?:about|around|almost|nearly|roughly|some|more than|less than|over|under|up to|"
                     r"at least|only|just|environ|près de|presque|plus de|moins de|jusqu'à|jusqu’à|quelque|"
                     r"in|on|en|le|la|au|aux|dès|depuis|since|from|at|à)\s+)+$", re.I)
_AFTER = re.compile(r"^\s+(?:a|an|per|par|la|le|each|chaque)\s+(?:day|week|month|year|hour|jour|semaine|mois|an|"
                    r"année|heure|tonne|ton|person|personne|head|tête)\b", re.I)


def _widen(sentence: str, span: Span) -> Span:
    """``span`` with the qualifiers that are part of the answer: "about 11 weeks", not "11 weeks"."""
    before = _BEFORE.search(sentence[: span.start])
    after = _AFTER.match(sentence[span.end:])
    return Span(span.kind, before.start() if before else span.start, span.end + (after.end() if after else 0))


def _best_clause(sentence: str, qwords: set[str]) -> Span | None:
    """For a question no typed span answers: the clause of the sentence holding most question words
    (None when the sentence is one clause, or no clause holds any)."""
    folded = _fold(sentence)
    bounds = [0, *[m.start() + (1 if m.group().strip() else 0) for m in _CLAUSE_CUT.finditer(folded)], len(sentence)]
    pairs = zip(bounds, bounds[1:], strict=False)
    clauses = [(a, b) for a, b in pairs if len(re.findall(r"[^\W_]+", folded[a:b])) >= 2]
    if len(clauses) < 2:
        return None
    counts = [len({q for q, (x, _) in _anchors(folded, qwords) if a <= x < b}) for a, b in clauses]
    best = max(range(len(clauses)), key=lambda i: (counts[i], -i))
    if not counts[best]:
        return None
    a, b = clauses[best]
    text = sentence[a:b]
    start = a + len(text) - len(text.lstrip(" ,;:()—–«»\u00a0\u202f"))
    end = b - (len(text) - len(text.rstrip(" ,;:()—–«».\u00a0\u202f")))
    return Span(K.OTHER, start, end) if end > start else None


def _typed_span(sentence: str, kind: Kind, question: str, qwords: set[str]) -> Span | None:
    if kind == K.OTHER:
        return None
    spans, folded = find_spans(sentence), _fold(sentence)
    if kind == K.PERSON and (role := _role(sentence, folded, question)) is not None:
        return role or None
    ranked = [s for s in spans if s.kind == kind] or [s for s in spans if s.kind in COMPATIBLE[kind]]
    ranked = [s for s in ranked if not (qwords and _given(folded, s, qwords))]
    if not ranked:
        return None
    anchors = _anchors(folded, qwords)
    cuts = [m.start() for m in _CLAUSE_CUT.finditer(folded)]

    def score(span: Span) -> tuple[int, float]:
        """Question words in the span's clause, then closeness of each word's nearest occurrence."""
        clause = bisect.bisect(cuts, span.start)
        near: dict[str, float] = {}
        for word, (a, b) in anchors:
            near[word] = max(near.get(word, 0.0), 1 / (1 + max(a - span.end, span.start - b, 0)))
        return len({w for w, (a, _) in anchors if bisect.bisect(cuts, a) == clause}), sum(near.values())

    return max(ranked, key=lambda s: (*score(s), -s.start))


def has_kind(sentence_spans: list[Span], kind: Kind) -> bool | None:
    """Whether spans carry ``kind`` per :data:`COMPATIBLE`; None for OTHER (no evidence either way)."""
    if kind == K.OTHER:
        return None
    return any(s.kind in COMPATIBLE[kind] for s in sentence_spans)
