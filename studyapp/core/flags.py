"""Anki's card flags: a learner marks a card red, orange, green or blue (0 is no flag)."""

from __future__ import annotations

#: flag number -> colour name, as Anki numbers them (``flag:1`` is red in its search too).
FLAGS: dict[int, str] = {1: "red", 2: "orange", 3: "green", 4: "blue"}


def toggled(current: int, wanted: int) -> int:
    """The flag after asking for ``wanted``: setting the flag a card already has takes it off."""
    return 0 if current == wanted else wanted


def flag_name(flag: int) -> str:
    """``red`` … ``blue``, or ``none``."""
    return FLAGS.get(flag, "none")


__all__ = ["FLAGS", "flag_name", "toggled"]
