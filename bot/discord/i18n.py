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
        "vote_failed": "I could not store your vote right now; the team has the details.",
        "dm_declined": "I only answer in servers. Ask me there with /ask.",
        "empty_mention": "Ask me a question about the article, e.g. `@{me} {example}`",
        "reloaded": "Reloaded: {n} article(s), {s} sentences.", "no_permission": "You need the Manage Server "
        "permission for this.", "guild_only": "This command only works in a server.",
        "article": "Article", "source": "Source", "language": "Language", "sentences": "Sentences",
        "built": "Index built", "encoder": "Encoder", "default_example": "what is the article about?",
        "stats_title": "Questions in this server", "stats_window": "Last {d} day(s)",
        "stats_line": "{n} questions · {a} answered · {u} unsure · {c} not covered · {e} errors",
        "stats_share": "not covered: {p}", "stats_unanswered": "Most asked, not covered (30 days)",
        "stats_worst": "Worst-rated answers (30 days)", "stats_none": "nothing yet",
        "stats_all_time": "{n} questions in the journal (kept {k})", "stats_unavailable":
        "The journal cannot be read right now; the team has the details.", "days_kept": "{d} days",
        "forever": "until deleted",
        "privacy": "**What I store when you ask me something**\n"
        "• the question you addressed to me (by /ask, a mention, a DM{channels}), the server, and what I "
        "answered (article, sentence, confidence, how long it took);\n"
        "• your 👍/👎 on my answers;\n"
        "• not your user id: a salted hash of it, so your rows can be found for /forget-me and nothing else;\n"
        "• for follow-ups, your last question in a thread or under my answer, held in memory (never on disk "
        "beyond the row above, which it is read from again after a restart); /forget-me drops it too.\n"
        "I store nothing else you write. Rows are deleted after {kept}. Type /forget-me to delete yours now.",
        "privacy_channels": ", or a question ending in \"?\" in a channel set aside for questions",
        "forgotten": "Done: I deleted {q} question(s) and {v} vote(s) of yours.",
        "forget_failed": "I could not delete your rows right now; the team has the details. Try again later.",
        "visible_in": "Visible in", "this_server": "this server", "all_servers": "every server (shared)",
        "added": "Added", "no_articles": "No article is available here yet: a moderator can add one with "
        "/article add.", "more": "… and {n} more", "articles_title": "Articles I answer from here ({n})",
        "add_failed": "Could not add the article: {reason}", "url_or_file": "give either url: or file: (one of them)",
        "added_text": "Added to this server: ask about it with `/ask article:{id}` or just ask.",
        "remove_failed": "Could not remove the article: {reason}", "bad_article": "I can't show that: {reason}",
        "removed": "Removed `{id}` from this server.",
        "new_article": "New article", "new_article_text": "Ask me about it: `/ask article:{id}`",
        "which_article": "Which article",
        "summary_of_newest": "Summary of **{title}** (`{id}`), the most recently added of {n} articles; "
        "pick another with `article:`",
        "summary_of_first": "Summary of **{title}** (`{id}`), the first by id of {n} articles (none says when it "
        "was added); pick another with `article:`",
        "fallback": "**{title}** does not cover this; here is what another article says:",
        "read_with": "↪ read with the question before it: {q}",
        "also_fits": "Another article fits too",
        "ask_in": "Ask in {id}",
        "reask_gone": "that question is no longer in my journal; ask it again with `/ask article:{id}`",
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
        "vote_failed": "Je n'ai pas pu enregistrer votre vote pour l'instant ; l'équipe a les détails.",
        "dm_declined": "Je ne réponds que sur les serveurs. Posez la question là-bas avec /ask.",
        "empty_mention": "Posez-moi une question sur l'article, par ex. `@{me} {example}`",
        "reloaded": "Rechargé : {n} article(s), {s} phrases.", "no_permission": "Il faut la permission "
        "Gérer le serveur pour cela.", "guild_only": "Cette commande ne marche que sur un serveur.",
        "article": "Article", "source": "Source", "language": "Langue", "sentences": "Phrases",
        "built": "Index construit", "encoder": "Encodeur", "default_example": "de quoi parle l'article ?",
        "stats_title": "Questions sur ce serveur", "stats_window": "{d} dernier(s) jour(s)",
        "stats_line": "{n} questions · {a} répondues · {u} incertaines · {c} hors article · {e} erreurs",
        "stats_share": "hors article : {p}", "stats_unanswered": "Les plus posées, hors article (30 jours)",
        "stats_worst": "Réponses les moins bien notées (30 jours)", "stats_none": "rien pour l'instant",
        "stats_all_time": "{n} questions dans le journal (gardées {k})", "stats_unavailable":
        "Le journal est illisible pour l'instant ; l'équipe a les détails.", "days_kept": "{d} jours",
        "forever": "jusqu'à suppression",
        "privacy": "**Ce que je garde quand vous me posez une question**\n"
        "• la question qui m'est adressée (par /ask, une mention, un MP{channels}), le serveur, et ma réponse "
        "(article, phrase, confiance, durée) ;\n"
        "• vos 👍/👎 sur mes réponses ;\n"
        "• pas votre identifiant : une empreinte salée, qui sert seulement à retrouver vos lignes pour /forget-me ;\n"
        "• pour les relances, votre dernière question dans un fil ou sous ma réponse, gardée en mémoire (jamais "
        "sur disque en dehors de la ligne ci-dessus, d'où elle est relue après un redémarrage) ; /forget-me "
        "l'efface aussi.\n"
        "Je ne garde rien d'autre de ce que vous écrivez. Les lignes sont effacées après {kept}. Tapez "
        "/forget-me pour effacer les vôtres tout de suite.",
        "privacy_channels": ", ou une question finissant par « ? » dans un salon réservé aux questions",
        "forgotten": "C'est fait : j'ai effacé {q} question(s) et {v} vote(s) de votre part.",
        "forget_failed": "Je n'ai pas pu effacer vos lignes pour l'instant ; l'équipe a les détails. "
        "Réessayez plus tard.",
        "visible_in": "Visible sur", "this_server": "ce serveur", "all_servers": "tous les serveurs (partagé)",
        "added": "Ajouté", "no_articles": "Aucun article n'est encore disponible ici : un modérateur peut en "
        "ajouter un avec /article add.", "more": "… et {n} de plus", "articles_title": "Articles dont je "
        "me sers ici ({n})", "add_failed": "Impossible d'ajouter l'article : {reason}",
        "url_or_file": "donnez soit url:, soit file: (l'un des deux)",
        "added_text": "Ajouté à ce serveur : posez vos questions avec `/ask article:{id}` ou simplement `/ask`.",
        "remove_failed": "Impossible de retirer l'article : {reason}",
        "bad_article": "Je ne peux pas afficher cela : {reason}", "removed": "`{id}` est retiré de ce serveur.",
        "new_article": "Nouvel article", "new_article_text": "Posez-moi vos questions : `/ask article:{id}`",
        "which_article": "Quel article",
        "summary_of_newest": "Résumé de **{title}** (`{id}`), le plus récemment ajouté des {n} articles ; "
        "choisissez-en un autre avec `article:`",
        "summary_of_first": "Résumé de **{title}** (`{id}`), le premier par identifiant des {n} articles (aucun "
        "ne dit quand il a été ajouté) ; choisissez-en un autre avec `article:`",
        "fallback": "**{title}** n'en parle pas ; voici ce qu'en dit un autre article :",
        "read_with": "↪ lue avec la question d'avant : {q}",
        "also_fits": "Un autre article correspond aussi",
        "ask_in": "Demander dans {id}",
        "reask_gone": "cette question n'est plus dans mon journal ; reposez-la avec `/ask article:{id}`",
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
    "Questions asked here, what went unanswered, worst-rated answers":
        "Questions posées ici, ce qui est resté sans réponse, réponses mal notées",
    "What this bot stores about you, and for how long": "Ce que ce bot garde sur vous, et combien de temps",
    "Delete every question and vote of yours": "Effacer toutes vos questions et tous vos votes",
    "The articles I answer from: see, add or remove them": "Les articles dont je me sers : les voir, en "
                                                           "ajouter, en retirer",
    "The articles I answer from in this server": "Les articles dont je me sers sur ce serveur",
    "Add an article to this server, from a link or a file": "Ajouter un article à ce serveur, par un lien ou "
                                                            "un fichier",
    "The article's web address (https://…)": "L'adresse web de l'article (https://…)",
    "Or the article as a .txt, .md or .html file": "Ou l'article en fichier .txt, .md ou .html",
    "The id to give it (default: made from its title)": "L'identifiant à lui donner (par défaut : tiré du titre)",
    "Remove an article this server added": "Retirer un article ajouté par ce serveur",
    "The article to remove": "L'article à retirer",
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
