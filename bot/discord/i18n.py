"""Labels in the user's language (French for ``fr``, English otherwise) and command translations."""

from __future__ import annotations

import discord
from discord import app_commands

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "answer": "Answer", "context": "Context", "confidence": "Confidence", "position": "Position",
        "others": "Other passages", "not_covered": "Not covered by the article",
        "not_covered_text": "The article does not cover this.", "maybe": "Maybe related",
        "unsure": "The article may not say this exactly — closest passage:",
        "sentence": "sentence", "summary": "Summary", "key_points": "Key points", "focus": "focus",
        "cooldown": "Slow down a little: try again in {s} s.", "error": "Something went wrong on my side; "
        "the team has the details. Try again in a moment.", "timeout": "The article search is taking too long "
        "right now; try again in a moment.", "bad_input": "I can't use that question: {reason}",
        "thanks": "Thanks for the feedback!", "changed": "Vote changed, thanks!",
        "dm_declined": "I only answer in servers. Ask me there with /ask.",
        "empty_mention": "Ask me a question about the article, e.g. `@{me} {example}`",
        "reloaded": "Reloaded: {n} article(s), {s} sentences.", "no_permission": "You need the Manage Server "
        "permission for this.", "guild_only": "This command only works in a server.",
        "article": "Article", "source": "Source", "language": "Language", "sentences": "Sentences",
        "built": "Index built", "encoder": "Encoder", "default_example": "what is the article about?",
    },
    "fr": {
        "answer": "Réponse", "context": "Contexte", "confidence": "Confiance", "position": "Position",
        "others": "Autres passages", "not_covered": "Pas abordé dans l'article",
        "not_covered_text": "L'article n'en parle pas.", "maybe": "Peut-être lié",
        "unsure": "L'article ne le dit peut-être pas exactement — passage le plus proche :",
        "sentence": "phrase", "summary": "Résumé", "key_points": "Points clés", "focus": "thème",
        "cooldown": "Doucement : réessayez dans {s} s.", "error": "Un problème est survenu de mon côté ; "
        "l'équipe a les détails. Réessayez dans un instant.", "timeout": "La recherche dans l'article prend "
        "trop de temps ; réessayez dans un instant.", "bad_input": "Je ne peux pas utiliser cette question : {reason}",
        "thanks": "Merci pour votre avis !", "changed": "Vote modifié, merci !",
        "dm_declined": "Je ne réponds que sur les serveurs. Posez la question là-bas avec /ask.",
        "empty_mention": "Posez-moi une question sur l'article, par ex. `@{me} {example}`",
        "reloaded": "Rechargé : {n} article(s), {s} phrases.", "no_permission": "Il faut la permission "
        "Gérer le serveur pour cela.", "guild_only": "Cette commande ne marche que sur un serveur.",
        "article": "Article", "source": "Source", "language": "Langue", "sentences": "Phrases",
        "built": "Index construit", "encoder": "Encodeur", "default_example": "de quoi parle l'article ?",
    },
}

# Command and option descriptions, keyed by their English text.
FRENCH_COMMANDS = {
    "Ask a question about the article": "Poser une question sur l'article",
    "Your question, in any language": "Votre question, dans n'importe quelle langue",
    "Which article (when there are several)": "Quel article (s'il y en a plusieurs)",
    "Summarise the article": "Résumer l'article",
    "How long: short, medium or long": "Longueur : courte, moyenne ou longue",
    "A topic to focus on, e.g. patents": "Un thème sur lequel se concentrer, par ex. brevets",
    "Bulleted key points instead of a paragraph": "Points clés en liste plutôt qu'un paragraphe",
    "What the article is and how it is indexed": "Ce qu'est l'article et comment il est indexé",
    "What this bot does, with example questions": "Ce que fait ce bot, avec des exemples de questions",
    "Re-read the articles and rebuild what changed": "Relire les articles et reconstruire ce qui a changé",
}


def lang_of(locale: discord.Locale | str | None) -> str:
    """``fr`` for any French locale, ``en`` otherwise."""
    value = getattr(locale, "value", locale) or ""
    return "fr" if str(value).lower().startswith("fr") else "en"


def label(lang: str, key: str, **kwargs: object) -> str:
    text = LABELS.get(lang, LABELS["en"]).get(key) or LABELS["en"][key]
    return text.format(**kwargs) if kwargs else text


class Translator(app_commands.Translator):
    """French descriptions for commands and options; other locales fall back to English."""

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContext) -> str | None:
        if lang_of(locale) == "fr":
            return FRENCH_COMMANDS.get(string.message)
        return None
