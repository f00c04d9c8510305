"""The data of answer kinds (``bot/retrieval/kinds.py``): word lists and regular expressions per language.

- the folding every word list and question pattern is written in (``fold``: lowercase, no accents,
  one character for one);
- word lists, folded: function words, months and days, organisation and place words, particles,
  titles, the openers a sentence-initial name follows;
- the span patterns of a sentence (``SPAN_PATTERNS``: numbers with their currency, percent sign,
  unit or time unit; ages; dates and clock times; reasons; French organisation names), and the
  patterns around them: bare counts and years, "ago", the tokens names are read from;
- the question rules (``QUESTION_RULES``: kind, whether it counts in a yes/no question, pattern;
  English, French, Spanish, German, chat spellings) and the yes/no question opener (``YES_NO``).

Kinds are written by value (``"money"``: ``Kind.MONEY``); ``kinds.py`` reads them into ``Kind`` and
holds what the tables are used for. Nothing here but tables and the regular expressions built from
them.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})


def fold(text: str) -> str:
    """Lowercase, accents off, ``'`` for typographic apostrophes; one character for one (offsets hold)."""
    return "".join((unicodedata.normalize("NFKD", c)[:1] or c).lower()[:1] for c in text.translate(_APOSTROPHES))


def _alt(words: str) -> str:
    return "(?:" + "|".join(words.split()) + ")"


# ---------------------------------------------------------------- word lists (folded, one place each)
FUNCTION_WORDS = frozenset(
    "the a an this that these those it its in on at for from by with after before but and or if when while as of to "
    "is are was were be been has have had will would can could do does did not no yes he she they we i you his her "
    "their our there here also then however according about over under than more less per some many most all each "
    "what who where why how which le la les l un une des du de d ce cette ces cet il elle ils elles on nous vous je j "
    "en dans pour par sur avec sans selon mais et ou si quand lors apres avant depuis pendant son sa ses leur leurs "
    "notre nos c qu lorsque alors ainsi aussi deja certes toutefois neanmoins donc puis ensuite desormais tous "
    "tout toute toutes plus moins est sont a ont au aux que qui "
    "el los las y o por para con es se lo del der die das und oder ist im mit von zu den dem ein eine".split())
MONTHS_DAYS = frozenset(
    "january february march april may june july august september october november december janvier fevrier mars "
    "avril mai juin juillet aout septembre octobre novembre decembre monday tuesday wednesday thursday friday "
    "saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche jan feb mar apr jun jul aug sep sept oct nov "
    "dec".split())
ORG_WORDS = frozenset(
    "inc ltd llc plc sa sas sarl gmbh ag corp corporation group groupe authority council university universite bank "
    "banque chambre association syndicat union ministry ministere agence agency company compagnie commission "
    "institute institut foundation fondation federation party parti committee comite board department court "
    "tribunal conseil mairie assemblee senate senat parliament parlement holdings partners airlines airways motors "
    "technologies systems labs media news police school college hospital hopital club".split())
PLACE_HEADS = frozenset(
    "street st road rd avenue ave boulevard square lane bridge park station airport port harbour harbor river lake "
    "bay island islands mount mountains county province region district valley coast beach line town city village "
    "rue place gare aeroport pont quai parc lac ile departement vallee mont ligne plage canal".split())
PLACES = frozenset(
    "france chine china etats-unis us usa uk royaume-uni europe inde india allemagne germany japon japan russie "
    "russia espagne spain italie italy bresil brazil canada mexique mexico afrique africa asie asia paris london "
    "londres bruxelles brussels berlin madrid pekin beijing ukraine belgique belgium suisse switzerland".split())
PLACE_PREPS = frozenset("in at near into across outside around throughout inside a au aux en dans vers".split())
WEAK_PLACE_PREPS = frozenset("from to".split())
NEAR_WORDS = frozenset("pres loin nord sud est ouest provenance originaire centre banlieue".split())
PARTICLES = frozenset("de du des d' van von der den da di of for la le l' del".split())
TITLES = frozenset("Dr Dr. Mr Mr. Mrs Mrs. Ms Ms. M. Mme Mlle Me Pr Pr. Prof Prof. Sir Dame".split())
NOT_ORG = frozenset("CEO PDG DG TV AM PM OK GDP PIB AI IA SMS GPS USB PDF NB PS II III IV VI VII IX XI XX".split())
DEMONYM_ENDINGS = ("ese", "ean", "ian", "ish", "ais", "ois", "aise", "oise", "ien", "ienne")
OPENERS = frozenset('. ! ? : « " “ ( — – - [ …'.split())

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
SPAN_PATTERNS: tuple[tuple[str, str], ...] = (
    ("money", rf"(?:US|C|A|HK)?[$€£¥]\s?{_AMOUNT}(?:\s?(?:m|k|bn|M|K)(?!\w))?"),
    ("money", rf"{_AMOUNT}(?:\s(?:de\s|d['’]|of\s)|\s?){_CURRENCY}(?![\w])"),
    ("percent", rf"{_AMOUNT}\s?%|{_AMOUNT}\s(?i:per\s?cent|pour\s?cent|percent|pourcent|percentage\spoints?"
                rf"|points?\sde\spourcentage)(?!\w)"),
    ("age", rf"(?i:aged|âgée?s?\sde)\s{_NUMBER}(?:\s(?i:ans|years))?|{_NUMBER}[\s-]years?[\s-]olds?"),
    ("age", rf"(?i:age\sof|âge\sde)\s(?P<v>{_NUMBER}(?:\s(?:ans|years))?)|(?<![yY]\s)\b(?i:a|avait|aura|aurait"
            rf"|ont|avaient|fête|fêtera)\s(?P<w>{_NUMBER}\sans)(?!\s(?:de|d['’]))"),
    ("age", rf"{_AGE_NOUNS}\s(?:de|d['’]|âgée?s?\sde)\s?(?P<v>{_NUMBER}\sans)"),
    ("age", r"(?<=[,(])\s?(?P<v>\d{1,3}\sans)(?=\s?[,)])|[" + _UP + r"][\w'’-]*,\s(?P<w>\d{1,3})(?=,)"
            r"|\b(?:he|she|who)\s(?:is|was)\s(?P<x>\d{1,3})(?=\s?[,.;)]|$)|\bturn(?:s|ed|ing)?\s(?P<y>\d{1,3})\b"),
    ("measure", rf"{_NUMBER}\s?{_UNIT}"),
    ("duration", rf"{_DURATION}|\b(?i:decades?|décennies?)\b"),
    ("date", rf"(?:{_DAY},?\s)?(?:the\s)?{_DAYNUM}\s(?:of\s)?{_MONTH}(?:,?\s{_YEAR})?"),
    ("date", rf"(?:{_DAY},?\s)?{_MONTH_EN_ALL}\s\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:,?\s{_YEAR})?"),
    ("date", rf"(?:(?i:early|late|mid|the\send\sof|end\sof|début|fin|mi|courant|à\sla\smi)[\s-]?)?"
             rf"(?:{_MONTH}\s(?:de\s|of\s)?{_YEAR}|{_MONTH_BARE}\b(?:\s(?:dernier|prochain))?)"),
    ("date", r"\b(?:in|of|by|since|until|from|before|after|this|last|next|early|late|mid-)\s?(?P<v>May)\b"),
    ("date", rf"(?i:(?:fin|début|courant|mi|early|late|mid|the\send\sof|end\sof|the\sstart\sof|start\sof|the\s"
             rf"beginning\sof|beginning\sof|spring|summer|autumn|fall|winter|printemps|été|automne|hiver)"
             rf"(?:\sof|\sde|\sd['’])?[\s-]){_YEAR}"),
    ("date", r"(?i:(?:next|last|this|coming|early|late)\s(?:spring|summer|autumn|fall|winter|year|month|week(?:end)?"
             r"|decade)|(?:l['’]an|l['’]année|le\smois|la\ssemaine|le\sweek-end|l['’]été|l['’]automne|l['’]hiver"
             r"|le\sprintemps)\s(?:prochaine?|dernière?|passée?)|cette\sannée|cette\ssemaine|ce\smois-ci|cet\sété"
             r"|cet\sautomne|cet\shiver|ce\sprintemps|au\sprintemps|in\sthe\s(?:spring|summer|autumn|winter)"
             r"|yesterday|tomorrow|tonight|today|hier|demain|aujourd['’]hui|ce\ssoir|ce\smatin)\b"),
    ("date", rf"(?:(?:last|next|this)\s)?{_DAY}(?:\s(?:prochain|dernier|matin|soir|morning|afternoon|evening))?"),
    ("date", rf"(?<!\d)(?:\d{{1,2}}[:h]\d{{2}}(?:{_AMPM})?|\d{{1,2}}(?:[.:]\d{{2}})?{_AMPM}"
             rf"|\d{{1,2}}\s?h(?:\s?\d{{2}})?(?!\w))"
             r"|(?i:(?:à|vers|dès|jusqu['’]à|avant|après)\s)(?P<v>\d{1,2}\s?heures?(?:\s?\d{2})?)"
             r"|\b(?:noon|midnight|midi|minuit)\b|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?!\d)|\d{4}-\d{2}-\d{2}"),
    ("date", r"(?:the\s)?(?:19|20)\d0s\b|(?i:les\s)?années\s(?:19|20)?\d0\b"),
    ("date", rf"{_DURATION}\s(?i:ago)\b|(?i:il\sy\sa)\s{_DURATION}"),
    ("reason", rf"(?:{_REASON_CUE}){_CLAUSE}"),
    ("org", r"\b(?i:ministère|chambre|agence|syndicat|conseil|mairie|préfecture|université|banque|fédération)"
            rf"\s(?:de\sla\s|de\sl['’]|des\s|du\s|de\s|d['’])[^\W\d_][\w-]*"
            rf"(?:\s(?:de\sla\s|de\sl['’]|des\s|du\s|de\s|d['’])[{_UP}][\w-]*)*"),
    ("quantity", rf"{_NUMBER}(?:\s[^\W\d_]+)?\s(?i:to|à|contre|against)\s{_NUMBER}(?![\w])"),
)
COUNT = re.compile(rf"{_AMOUNT}(?![^\W\d_])(?P<n>\s[^\W\d_][\w-]*)?")
BARE_YEAR = re.compile(rf"(?<![\w.,/-]){_YEAR}(?![\w%]|[.,]\d|\s?%)")
YEAR_BEFORE = re.compile(
    r"(?i:\b(?:in|en|since|depuis|of|de|du|by|until|till|from|to|à|au|and|et|or|ou|between|entre|before|after|avant"
    r"|après|jusqu['’]en|dès|for|pour|during|pendant|the|its|their|this|that|year|season|saison|année)\s*$)")
YEAR_AFTER = re.compile(r"\s*(?:[,.;:)!?»”\"–—-]|$)")
AGO = re.compile(r"(?i)\bago\b|\bil\s+y\s+a\b")
TOKEN = re.compile(r"(?<![^\W\d_])(?i:[dlnjmtsc]|qu|jusqu|lorsqu|puisqu)['’](?=[^\W\d_])"
                    r"|[^\W\d_](?:[^\W_]|[-'’](?!s\b)(?=[^\W\d_]))*|\d+|\S")

# ---------------------------------------------------------------- questions (matched on the folded question)
_HOW_MUCH = r"(?:how|hw|hoe)\s*(?:much|mch|mutch|muc)"
_HOW_MANY = r"(?:how|hw|hoe)\s*(?:many|mny|manny|meny)"
_COMBIEN = r"(?:combien|cb|cbn)"
_Q_UNITS = ("|".join(fold(w) for w in _UNIT_WORDS) + "|km|cm|mm|kg|ha|mw|gw|kw|kwh|mwh|mph|ft|lbs?|rain|snow|water"
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
QUESTION_RULES: tuple[tuple[str, bool, str], ...] = (
    ("age", True, rf"\bhow\s*old\b|\b{_HOW_MANY}\s*(?:years|yrs)\s*old\b|\b(?:at )?what age\b|\b(?:a )?quel\s*age\b"
                  r"|\bcuant[oa]s\s*anos\s*(?:tiene|tenia|tendra|tienen|tenian|cumple|cumplio|cumplira)\b"
                  r"|\bque edad\b|\bwie\s*alt\b|\bin welchem alter\b|\bmit wie ?viel(?:en)? jahren\b"),
    ("percent", True, rf"\b(?:what|wat|wht|which)\s*(?:percent(?:age)?\b|share\b|proportion\b|fraction\b|%)"
                      rf"|\b{_HOW_MUCH}\s*(?:of\b|%)|\bby what percent|\bquel(?:le)?\s*(?:pourcentage|part|proportion"
                      r"|taux)\b|\bcombien de\s*(?:%|pour ?cent|pourcent)|\bque\s*(?:porcentaje|proporcion)\b"
                      r"|\bcuanto por ?ciento\b|\bwie\s*viele?\s*prozent\b|\bwelche[rn]?\s*anteil\b"
                      r"|\b(?:how high|wie hoch)\b(?=.*\b(?:rate|unemployment|inflation|share|anteil|quote)\b)"),
    ("measure", True, r"\bhow\s*long(?:'s|s|\s*(?:is|was|are|were|will be))\s*(?:the|this|that|it)?\s*(?:new )?"
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
    ("other", True, rf"\b(?:by )?(?:{_HOW_MUCH}|de combien|en combien|cuanto|um wie ?viel|wie stark)\b"
                    rf".{{0,40}}\b(?:{_Q_GROWTH})\b"),
    ("money", True, rf"\b{_HOW_MUCH}(?!\s*time)\s*(?:\$|€|£|money\b|cash\b|dollars?\b|euros?\b|pounds?\b|(?=.*\b"
                    rf"(?:{_Q_MONEY_VERBS})\b))|\b{_COMBIEN}\s*(?:ca |sa )?(?:coute\w*|vaut|valent|cout\w*)\b"
                    rf"|\b{_COMBIEN}\s*(?:d'argent|d'euros|de dollars|d'€|de \$)|\b{_COMBIEN}(?!\s*(?:de|d')\b)"
                    rf"(?=.*\b(?:{_Q_MONEY_VERBS})\b)|\b(?:a )?quel (?:prix|cout|montant|budget|tarif|salaire)\b"
                    r"|\bcuanto\s*(?:cuesta|cuestan|costo|costaron|costara|vale|valen|valio|dinero|cobra\w*|gana\w*"
                    r"|pag\w*|invirti\w*|gast\w*)\b|\b(?:que|cual es el|a que) (?:precio|coste|costo|presupuesto"
                    r"|salario|monto|importe)\b|\bcuant[oa]s?\s*(?:euros|dolares|libras)\b|\b(?:was|wie ?viel) kost"
                    r"|\bwie ?viel\s*(?:geld|euro|dollar|zahl\w*|bezahl\w*|verdien\w*|investier\w*|ausgegeben)\b"
                    r"|\bwie hoch\b(?=.*\b(?:preis|kosten|miete|gehalt|budget|betrag|summe|schaden|strafe)\b)"
                    r"|\bzu welchem preis\b"),
    ("duration", True, rf"\bhow\s*long\b(?!\s*ago)|\b{_HOW_MANY}\s*(?:years|yrs|months|weeks|days|hours|hrs|minutes"
                       rf"|mins|seconds|decades|centuries)\b|\b{_HOW_MUCH}\s*time\b|\b{_COMBIEN}\s*(?:de |d')\s*"
                       r"(?:temps|annees|ans|mois|jours|semaines|heures|minutes|secondes|decennies|siecles)\b|\bpendant"
                       r" combien\b|\bdepuis combien\b|\bquelle (?:duree|periode)\b|\bcuanto tiempo\b|\bcuant[oa]s\s*"
                       r"(?:anos|meses|semanas|dias|horas|minutos|segundos|decadas|siglos)\b|\bcuanto (?:dura|duro"
                       r"|durara|tarda|tardo|tardara|llevan?)\b|\bwie\s*lange\b|\bwie\s*viele?\s*(?:jahre|monate"
                       r"|wochen|tage|stunden|minuten|sekunden|jahrzehnte)\b|\bwie\s*viel\s*zeit\b"),
    ("date", True, rf"\bhow\s*long\s*ago\b|\b(?:when|whens|when's|whn|wheb)\b|\bwen\b{_WEN_EN}|\b(?:what|which|wat"
                   r"|wht)\s*(?:year|yr|date|day|time|month|season|decade|week)\b|\b(?:quand|kand|kan|qd)\b"
                   r"|\b(?:quel|quelle|kel|kelle)\s*(?:annee|date|heure|jour|mois|saison|epoque|semaine)\b"
                   r"|\ba quelle (?:heure|date|epoque|periode)\b|\bcuando\b|\b(?:que|cual|en que)\s*(?:ano|fecha"
                   r"|dia|hora|mes|epoca)\b|\bwann\b|\b(?:welche[mnrs]?|in welchem|an welchem)\s*(?:jahr|datum|tag"
                   r"|monat|uhrzeit|woche)\b|\bum wie ?viel uhr\b"),
    ("org", True, r"\b(?:which|what|wich|wat|wht)\s*(?:compan(?:y|ies)|firms?|business|corporation|organi[sz]ation"
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
    ("place", True, r"\b(?:where|wheres|where's|wher|whr)\b|\bwere(?=\s(?:is|did|does|do)\b)|\b(?:which|what|wich"
                    r"|wat)\s*(?:city|cities|country|countries|town|region|state|place|village|street|neighbou?rhood"
                    r"|area|continent|county|province|district|location|site|venue|island|address)\b|^(?:et |mais"
                    r" |c |c'est |cest )?ou\b|\b(?:d'ou|par ou)\b|\bou (?:se (?:trouve|situe|passe|deroule)\w*|est"
                    r"|sont|etait|sera|ca|va|vont|habite|vit)\b|\b(?:c'est|cest|c) ou\b|\bou$|\b(?:dans |en )?"
                    r"(?:quel|quelle|kel|kelle)\s*(?:ville|pays|region|endroit|lieu|quartier|commune|departement"
                    r"|continent|rue|adresse|village|site|zone|ile|province|etat)\b|\b(?:donde|adonde|dnd)\b"
                    r"|\b(?:que|cual|en que)\s*(?:ciudad|pais|region|lugar|barrio|provincia|estado|zona|calle|sitio"
                    r"|continente|isla)\b|\b(?:wo|wohin|woher)\b|\b(?:in )?welche[mnrs]?\s*(?:stadt|land|region"
                    r"|ort|gegend|staat|bundesland|viertel|strasse|kontinent|insel|gemeinde|dorf)\b"),
    ("person", True, r"\b(?:who|whos|who's|whom|whose|whoo)\b|\b(?:which|what)\s*(?:person|man|woman|guy|minister"
                     r"|official|executive|ceo|president|mayor|spokes\w*|leader|player|artist|author|founder)\b"
                     r"|^(?:et |mais )?(?:qui|ki)\b|\b(?:c'est|cest|c|par|de|a|avec|pour|contre|selon|chez)"
                     r" (?:qui|ki)\b|\b(?:qui|ki)$|\b(?:quel|quelle)\s*(?:personne|ministre|maire|president"
                     r"|directeur|dirigeant|patron|pdg|porte-parole|responsable|auteur|fondateur|joueur)\b"
                     r"|\b(?:quien|quienes|kien)\b|\b(?:wer|wen|wem|wessen)\b"),
    ("reason", True, r"\b(?:why|whys|why's|wy|whyy)\b|^y\s(?=(?:did|do|does|is|are|was|were|would|will|has|have"
                     r"|had|not|dont|didnt|cant|they|he|she|it|u|r)\b)|\bhow come\b|\bfor what reason\b|\bwhat"
                     r" (?:caused|causes|led to|prompted|drove)\b|\bwhat for\b|\b(?:pourquoi|pk|pq|pkoi|pourkoi"
                     r"|prq|pcq)\b|\bpour quelle raison\b|\bcomment (?:ca|se) fait\b|\b(?:por que|porque|porq|xq"
                     r"|xk|por q)\b|\bpara que\b|\bcomo es que\b|\b(?:warum|wieso|weshalb|weswegen|wozu)\b"
                     r"|\baus welchem grund\b"),
    ("quantity", True, rf"\b{_HOW_MANY}\b|\b{_COMBIEN}\b|\bcuant[oa]s\b|\bwie ?viele?\b|\bwhat (?:number|amount)\b"),
    ("money", True, rf"\b{_HOW_MUCH}\b|\bcuant[oa]\b"),
    ("percent", False, r"%|\bper ?cent\w*\b|\bpour ?cent\b|\bpourcentage\b|\bporcentaje\b|\bprozent\b"),
    ("money", False, r"\$|€|£|\b(?:cost|costs|price|prices|priced|budget|prix|cout|coute|tarifs?|montant|precios?"
                     r"|coste|costo|cuesta|kostet|kosten|preise?|betrag)\b"),
    ("age", False, r"\b(?:age|edad|alter)\b"),
    ("reason", False, r"\b(?:reasons?|raisons?|motivo|razon|grund|cause|caused)\b"),
    ("quantity", False, r"\b(?:number of|nombre de|numero de|anzahl|population|einwohner)\b"),
    ("date", False, r"\b(?:date|deadline|datum|fecha)\b"),
    ("place", False, r"\b(?:location|address|adresse|lieu|located|situee?|based|basee?)\b"),
)
YES_NO = re.compile(
    r"^(?:(?:and|so|but|et|mais|y|pero|und|also|ok|hey)\s)?(?:was\s(?!ist|sind|war|wird|hat|kostet|kosten|macht"
    r"|bedeutet|passiert)|(?:is|isnt|are|arent|wasnt|were|will|wont|would"
    r"|can|cant|could|does|doesnt|did|didnt|do|dont|has|hasnt|have|havent|had|should|shall|may|might|must|esk"
    r"|eske|es|esta|estan|hay|fue|ha|han|tiene|tienen|puede|pueden|ist|sind|war|waren|wird|werden|hat|haben"
    r"|gibt|kann|konnen|muss|soll|wurde)\b|est[- ]ce\b|y a[- ]t[- ]il\b|[a-z]+-t?-?(?:il|elle|ils|elles|on)\b)")
