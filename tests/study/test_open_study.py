"""A warm start skips building cards: the content fingerprint stored at the last sync matches."""

from __future__ import annotations

import pytest

from studyapp.study import session
from studyapp.study.session import content_fingerprint, open_storage, open_study


def test_cards_are_built_once_until_the_content_changes(tmp_path, data_dir, monkeypatch):
    db = tmp_path / "studyapp.db"
    first = open_study(path=db)
    cards = len(first.all_cards())
    assert cards > 100 and first.synced_fingerprint() == content_fingerprint()
    first.close()

    def no_build():
        raise AssertionError("cards were built although the content did not change")

    monkeypatch.setattr(session, "load_cardspecs", no_build)
    warm = open_study(path=db)
    assert len(warm.all_cards()) == cards
    warm.close()

    # An imported note file (or any edit of content or of the code that builds cards) changes
    # the fingerprint, so the next start builds and syncs the cards again.
    before = content_fingerprint()
    (data_dir / "content").mkdir()
    (data_dir / "content" / "mine.toml").write_text('topic = "user"\n')
    assert content_fingerprint() != before
    storage, synced = open_storage(path=db)
    storage.close()
    assert not synced
    with pytest.raises(AssertionError, match="were built"):
        open_study(path=db)
