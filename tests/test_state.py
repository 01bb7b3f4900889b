"""The story memory: nothing repeats across days, one story from two sources is read once."""

from __future__ import annotations

import datetime as dt
import sqlite3

from spacecast.daily.state import StoryStore, fingerprint, unique
from spacecast.text.article import Article

MON, TUE = dt.date(2026, 11, 23), dt.date(2026, 11, 24)


def story(title: str, url: str | None, *paragraphs: str) -> Article:
    return Article(source=url or f"{title}.txt", title=title, paragraphs=paragraphs, url=url)


BRIDGE = story(
    "Bridge reopens",
    "https://a.example/bridge",
    "The harbour bridge reopened on Monday after eight months of repairs.",
    "Engineers replaced the cables.",
)


def test_a_story_read_on_monday_is_not_new_on_tuesday(tmp_path):
    with StoryStore(tmp_path) as store:
        assert store.is_new(BRIDGE, MON)
        store.remember([BRIDGE], MON)
        assert not store.is_new(BRIDGE, TUE)
        assert store.is_new(BRIDGE, MON)  # a rerun of Monday may read it again


def test_known_by_url_alone_or_by_text_alone(tmp_path):
    with StoryStore(tmp_path) as store:
        store.remember([BRIDGE], MON)
        stub = story("Different headline", "https://a.example/bridge")  # before fetching
        assert not store.is_new(stub, TUE)
        syndicated = story("Bridge is open again", "https://b.example/x", *BRIDGE.paragraphs)
        assert not store.is_new(syndicated, TUE)
        other = story("Library opens", "https://a.example/library", "A new library opened.")
        assert store.is_new(other, TUE)


def test_a_day_keeps_its_stories_and_their_text(tmp_path):
    other = story("Library opens", None, "A new library opened.", "It has a cinema.")
    with StoryStore(tmp_path) as store:
        store.remember([BRIDGE, other], MON)
        assert store.stories_of(MON) == [BRIDGE, other]
        store.remember([other], MON)  # a rerun replaces the day's list
        assert store.stories_of(MON) == [other]
        assert store.stories_of(TUE) == []
    with StoryStore(tmp_path) as reopened:  # it is on disk
        assert reopened.episodes() == ["2026-11-23"]


def test_a_story_without_a_headline_comes_back_without_one(tmp_path):
    # A rerun must not turn the label chapters show into a headline the reader would say.
    lead = story("", "https://a.example/mill", "The mill was sold on Friday to a local trust.")
    with StoryStore(tmp_path) as store:
        store.remember([lead], MON)
        assert store.stories_of(MON) == [lead]
        assert store.stories_of(MON)[0].label == "The mill was sold on Friday to a local trust"


def test_fingerprint_ignores_case_punctuation_and_layout():
    a = story("x", None, "The Bridge, reopened!", "Engineers  replaced the cables.")
    b = story("y", None, "the bridge reopened engineers replaced the cables")
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(BRIDGE)


def test_unique_drops_repeats_within_one_gathering():
    syndicated = story("Bridge is open again", "https://b.example/x", *BRIDGE.paragraphs)
    same_url = story("Bridge (updated)", "https://a.example/bridge", "New text entirely.")
    other = story("Library opens", None, "A new library opened.")
    assert unique([BRIDGE, syndicated, same_url, other]) == [BRIDGE, other]


LIBRARY = story("Library opens", None, "A new library opened on Saturday.", "It has a cinema.")


def test_a_story_left_out_is_not_read_but_its_day_remembers_it(tmp_path):
    with StoryStore(tmp_path) as store:
        store.remember([BRIDGE], MON, left_out=[LIBRARY])
        assert not store.is_new(BRIDGE, TUE)
        assert store.is_new(LIBRARY, TUE)  # Tuesday's episode may read it
        # A rerun of Monday gets both back, in order, and so finds nothing new.
        assert store.stories_of(MON) == [BRIDGE, LIBRARY]
        store.remember([LIBRARY], TUE)  # read on Tuesday: no longer new on Wednesday
        assert not store.is_new(LIBRARY, dt.date(2026, 11, 25))


def test_a_store_from_before_left_out_stories_gains_the_column(tmp_path):
    old = sqlite3.connect(tmp_path / "spacecast.db")
    old.executescript(
        "CREATE TABLE stories (fingerprint TEXT PRIMARY KEY, url TEXT, title TEXT NOT NULL,"
        " source TEXT NOT NULL, published TEXT, body TEXT NOT NULL, episode TEXT NOT NULL,"
        " position INTEGER NOT NULL, read_at TEXT NOT NULL);"
    )
    old.execute(
        "INSERT INTO stories VALUES (?, ?, ?, ?, NULL, ?, ?, 0, ?)",
        (fingerprint(BRIDGE), BRIDGE.url, BRIDGE.title, BRIDGE.source, BRIDGE.text,
         "2026-11-23", "2026-11-23T06:30:00+00:00"),
    )  # fmt: skip
    old.commit()
    old.close()
    with StoryStore(tmp_path) as store:
        assert not store.is_new(BRIDGE, TUE)  # what it read stays read
        assert store.first_seen(BRIDGE, TUE) == MON  # no first_seen yet: its episode's date
        store.remember([BRIDGE], TUE, left_out=[LIBRARY])
        assert store.stories_of(TUE) == [BRIDGE, LIBRARY]


def test_a_story_left_out_again_keeps_the_day_it_was_first_gathered(tmp_path):
    wed = dt.date(2026, 11, 25)
    with StoryStore(tmp_path) as store:
        assert store.first_seen(LIBRARY, MON) == MON  # never seen: today's
        store.remember([BRIDGE], MON, dropped=[LIBRARY])
        assert store.is_new(LIBRARY, TUE)
        assert store.first_seen(LIBRARY, TUE) == MON
        store.remember([], TUE, left_out=[LIBRARY])  # left out once more
        assert store.first_seen(LIBRARY, wed) == MON
        # The day keeps its stories, and knows which were beyond max_stories.
        assert store.stories_of(MON) == [BRIDGE]
        store.remember([BRIDGE], MON, dropped=[LIBRARY])
        assert store.stories_of(MON, dropped=False) == [BRIDGE]
        assert store.stories_of(MON) == [BRIDGE, LIBRARY]
