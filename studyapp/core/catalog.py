"""The app's vocabulary, spelled out once: the topics (decks) and what they are called.

Everything that lists topics imports them from here. Optimizer names are owned by the engine
(``engine.optimizers.NOTES_OPTIMIZERS`` — the notes' seven, what quizzes, worksheets and the
workspace draw from — and ``EXTRA_OPTIMIZERS``, which the CLI accepts too); this module stays free
of NumPy so that argument parsers and the dashboard can import it cheaply.
"""

from __future__ import annotations

#: The course topics, in display order (content files, decks, quiz topics).
TOPICS: tuple[str, ...] = ("activations", "losses", "optimizers", "terms", "backprop", "concepts")
#: Notes the learner imported (``studyapp content import``) go to this topic.
USER_TOPIC = "user"
#: Every topic a card can have.
ALL_TOPICS: tuple[str, ...] = (*TOPICS, USER_TOPIC)

#: Short names, as the dashboard shows them.
TOPIC_TITLES: dict[str, str] = {
    "activations": "Activations",
    "losses": "Losses",
    "optimizers": "Optimizers",
    "terms": "Terms",
    "backprop": "Backprop",
    "concepts": "Concepts",
    USER_TOPIC: "My notes",
}

#: Anki deck names (``Deep Learning::Activations`` …), used by every export format.
ROOT_DECK = "Deep Learning"
DECK_NAMES: dict[str, str] = {t: f"{ROOT_DECK}::{title}" for t, title in TOPIC_TITLES.items()}


def topic_title(topic: str) -> str:
    """The display name of a topic; a topic of unknown name is title-cased."""
    return TOPIC_TITLES.get(topic, topic.title())


def deck_topic(name: str) -> str | None:
    """The topic of a deck named by its topic (``losses``), its title (``My notes``) or its full
    Anki name (``Deep Learning::Losses``), case-insensitively; None for no such deck."""
    wanted = " ".join(name.split()).casefold()
    for topic in ALL_TOPICS:
        if wanted in (topic, TOPIC_TITLES[topic].casefold(), DECK_NAMES[topic].casefold()):
            return topic
    return None
