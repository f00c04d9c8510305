"""Chat typing → words the encoders know: "wen", "whos", "ppl", "c quand", "pk", "cb", "xq", "wieviel".

Questions on Discord arrive lowercase, unaccented, abbreviated. The encoders were trained on
edited text, so the question the engine encodes has its chat abbreviations written out (the user's
own text is still what the bot shows). Only whole tokens are replaced, from one table per
language; a token that means something else in another language ("y" is Spanish "and", "x" and
"d" are Spanish shorthands) is only replaced where its own language's context says so. Misspelt
article words are matched by the fuzzy grounding in ``bot/retrieval/signals.py``, not here.
"""

from __future__ import annotations

import re

# Whole-token expansions that are safe in any language (no other language uses the token).
ANYWHERE = {
    # English
    "wen": "when", "wher": "where", "wat": "what", "wut": "what", "whos": "who is", "whats": "what is",
    "wheres": "where is", "hows": "how is", "whens": "when is", "hw": "how", "ppl": "people",
    "abt": "about", "bc": "because", "cuz": "because", "coz": "because", "bcuz": "because", "pls": "please",
    "plz": "please", "yrs": "years", "yr": "year", "mins": "minutes", "hrs": "hours", "govt": "government",
    "b4": "before", "tmrw": "tomorrow", "dont": "don't", "doesnt": "doesn't", "didnt": "didn't",
    "isnt": "isn't", "arent": "aren't", "wont": "won't", "cant": "can't", "u": "you", "ur": "your",
    "r": "are", "w/": "with", "thru": "through", "gonna": "going to", "wanna": "want to",
    # French
    "kan": "quand", "qd": "quand", "pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi", "pcq": "parce que",
    "cb": "combien", "cmb": "combien", "koi": "quoi", "ki": "qui", "ke": "que", "ya": "il y a",
    "bcp": "beaucoup", "tjs": "toujours", "tjrs": "toujours", "mtn": "maintenant", "mnt": "maintenant",
    "pr": "pour", "ds": "dans", "qqn": "quelqu'un", "qqch": "quelque chose", "ajd": "aujourd'hui",
    "auj": "aujourd'hui", "cmt": "comment", "cmnt": "comment", "jsp": "je ne sais pas",
    # Spanish
    "xq": "por qué", "porq": "por qué", "xk": "por qué", "tb": "también", "tmb": "también",
    "dnd": "dónde", "cdo": "cuando", "qien": "quién", "kien": "quién",
    # German
    "wieviel": "wie viel", "wieviele": "wie viele", "gibts": "gibt es", "vllt": "vielleicht",
    "nich": "nicht", "ned": "nicht", "nen": "einen", "isses": "ist es",
}
#: French "c" opens a question ("c quand", "c qui", "c combien"): c'est.
_FR_C = re.compile(r"^c(?= (?:quand|qui|quoi|ou|où|combien|koi|ki|kan|qd|cb|quel|quelle|pour)\b)", re.I)
#: "y" opens an English question only before an English auxiliary ("y did they"): why.
_EN_Y = re.compile(r"^y(?= (?:did|does|do|is|are|was|were|would|will|r|has|have|cant|can't|dont|don't)\b)", re.I)
#: Spanish "q"/"k" (que), "x" (por), "d" (de) between Spanish words.
_ES = {"q": "que", "k": "que", "x": "por", "d": "de"}
_ES_CONTEXT = frozenset("cuanto cuanta cuantos cuantas cuando donde quien como por que el la los las del es son "
                        "esta está hay tiene qué cuánto cuándo dónde quién cómo".split())
_NOT_IN_SPANISH = frozenset({"ya"})  # Spanish "ya" is "already", not French "il y a"
_TOKEN = re.compile(r"\S+")


def expand(question: str) -> str:
    """``question`` with its chat abbreviations written out; unchanged when it has none."""
    text = _EN_Y.sub("why", _FR_C.sub("c'est", question.strip(), count=1), count=1)
    tokens = _TOKEN.findall(text)
    spanish = any(t.lower().strip("¿?¡!.,") in _ES_CONTEXT for t in tokens)
    out = []
    for token in tokens:
        core = token.lower().strip("¿?¡!.,;:")
        lead = token[: len(token) - len(token.lstrip("¿¡"))]
        trail = token[len(token.rstrip("?!.,;:")):]
        if core in ANYWHERE and not (spanish and core in _NOT_IN_SPANISH):
            out.append(f"{lead}{ANYWHERE[core]}{trail}")
        elif spanish and core in _ES:
            out.append(f"{lead}{_ES[core]}{trail}")
        else:
            out.append(token)
    return " ".join(out)
