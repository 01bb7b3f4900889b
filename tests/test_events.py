"""Events, not articles: one event read once from several outlets, ranked by the news,
credited everywhere, not repeated the next day, and read again only as an update.

Every article here was written for these tests; the companies and people are invented."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from mutagen.id3 import ID3

from conftest import EXE, daily, write_voice
from spacecast.errors import InputError
from spacecast.models import Chapter, Credit, Script, Segment
from spacecast.publish.chapters import chapters_json
from spacecast.publish.episode import read_record, record_bytes
from spacecast.publish.notes import notes_html_fragment, notes_markdown
from spacecast.text.article import Article
from spacecast.text.compose import ShowFormat, compose
from spacecast.text.events import Event, Report, event_score, group, plan_events
from spacecast.text.scriptfile import parse_json, parse_markdown, to_json, to_markdown

# --- the day's news, as three outlets (and a radio desk) wrote it ---------------------------

WREN_WIRE = (
    "Corvid Space's Wren rocket broke apart about forty seconds after lifting off from the "
    "SaxaVord spaceport on Unst on Monday morning, the company said.",
    "The twenty-metre launcher was carrying two weather satellites for a Norwegian research "
    "institute. Debris fell into the sea north of the island and nobody was hurt.",
    "Corvid Space chief executive Ailsa Brennan said engineers would study the flight data "
    "before setting a date for the next attempt.",
)
WREN_LAMP = (
    "Britain's dream of a home-grown rocket went up in smoke on Monday when the Wren "
    "launcher built by Corvid Space broke apart over Unst less than a minute into its flight.",
    'Crofter Magnus Tulloch watched from his field. "It climbed, it wobbled, and then there '
    'were bits of rocket everywhere," he said.',
    "The company said the two satellites on board were lost and that no one was injured.",
)
WREN_COURIER = (
    "Islanders on Unst gathered on the cliffs on Monday to watch the Wren rocket lift off from "
    "SaxaVord, only to see Corvid Space's launcher break apart above the sea.",
    "The spaceport employs forty people on the island. Its manager said the failure was a "
    "setback but that Corvid Space had booked two more launch slots for next year.",
    "Coastguard crews spent the afternoon recovering floating debris from the rocket.",
)
FERRY_WIRE = (
    "Crews on the Yell Sound ferries walked out on Monday in a dispute over new rotas, "
    "leaving hundreds of island commuters without a crossing.",
    "The union representing the deckhands said the council's roster would add twelve-hour "
    "shifts without extra pay. The council said talks would resume on Wednesday.",
)
FERRY_COURIER = (
    "No ferries crossed Yell Sound on Monday after deckhands stopped work over the council's "
    "new shift rotas, and commuters queued at Toft for buses that never came.",
    "Union officials said the walkout would last until the council withdrew the roster. "
    "Council leaders said they hoped to reach a deal at talks on Wednesday.",
)
MUSEUM_COURIER = (
    "A steam engine that once powered a herring curing station has returned to Lerwick "
    "after a seven-year restoration by volunteers.",
    "The engine will go on show at the town museum from Saturday, where volunteers plan to "
    "run it on the first weekend of every month.",
)
FOG_RADIO = (
    "Thick fog closed Sumburgh airport for most of Monday and eleven flights to Aberdeen "
    "and Kirkwall were cancelled.",
)
# The next day: one more outlet's brief on the launch (a repeat) and a new story.
WREN_RADIO = (
    "The Wren rocket built by Corvid Space broke apart forty seconds after liftoff from "
    "Unst on Monday. The two weather satellites it carried were lost.",
)
SCHOOL_WIRE = (
    "Work has started on a new primary school in Baltasound that will replace two buildings "
    "from the nineteen-fifties, the council said on Tuesday.",
    "The school is due to open in the autumn of twenty twenty-eight and will have room for "
    "ninety pupils.",
)
# Four days later: a real development of the launch story.
WREN_CAUSE = (
    "A jammed valve in the oxygen tank caused Corvid Space's Wren rocket to break apart "
    "forty seconds after lifting off from the SaxaVord spaceport on Unst on Monday, the "
    "company said on Friday.",
    "The launcher was carrying two weather satellites for a Norwegian research institute "
    "when it broke apart. Chief executive Ailsa Brennan said the valve had been redesigned "
    "and the Wren would not fly again before the spring.",
)


def story(folder: Path, name: str, title: str, url: str, day: str, paragraphs) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    front = f"---\ntitle: {title}\nurl: {url}\ndate: {day}\n---\n\n"
    (folder / name).write_text(front + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """Three outlets' folders and a radio desk's, carrying overlapping stories; tone voices."""
    root = tmp_path / "show"
    write_voice(root / "voices", "anchor", "tone", "low", 300)
    write_voice(root / "voices", "correspondent", "tone", "high", 300)
    monday = "2026-11-02"
    courier, lamp, wire, radio = (root / n for n in ("courier", "lamp", "wire", "radio"))
    # The courier lists its museum story first: ranking, not source order, puts it last.
    story(
        courier,
        "1-museum.md",
        "Herring station steam engine comes home",
        "https://courier.example/museum-engine",
        monday,
        MUSEUM_COURIER,
    )
    story(
        courier,
        "2-ferry.md",
        "Ferry walkout strands Yell commuters",
        "https://courier.example/ferry-walkout",
        monday,
        FERRY_COURIER,
    )
    story(
        courier,
        "3-wren.md",
        "Unst watches its rocket fall into the sea",
        "https://courier.example/unst-rocket",
        monday,
        WREN_COURIER,
    )
    story(
        lamp,
        "wren.md",
        "Bang goes the space dream",
        "https://lamp.example/bang-goes-the-space-dream",
        monday,
        WREN_LAMP,
    )
    story(
        wire,
        "wren.md",
        "Corvid Space rocket breaks apart after liftoff from Unst",
        "https://wire.example/corvid-wren-failure",
        monday,
        WREN_WIRE,
    )
    story(
        wire,
        "ferry.md",
        "Yell Sound ferry crews strike over rotas",
        "https://wire.example/yell-ferry-strike",
        monday,
        FERRY_WIRE,
    )
    story(
        radio,
        "fog.md",
        "Fog closes Sumburgh airport",
        "https://radio.example/sumburgh-fog",
        monday,
        FOG_RADIO,
    )
    sources = "".join(
        f'[[sources]]\nname = "{name}"\nfolder = "{folder}"\n\n'
        for name, folder in (
            ("Coast Courier", "courier"),
            ("Evening Lamp", "lamp"),
            ("Northline Wire", "wire"),
            ("Radio North", "radio"),
        )
    )
    (root / "spacecast.toml").write_text(
        '[show]\ntitle = "Isles Briefing"\nbase_url = "https://pod.example/"\n\n'
        '[briefing]\nminutes = 3\nvoices_dir = "voices"\n\n'
        '[output]\nfolder = "out"\ncache_dir = "cache"\n\n' + sources,
        encoding="utf-8",
    )
    return root


def summary(proc: subprocess.CompletedProcess) -> dict:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


WREN = "Corvid Space rocket breaks apart after liftoff from Unst"
CAUSE = "Valve fault caused Wren rocket failure, Corvid Space says"
FERRY = "Ferry walkout strands Yell commuters"  # two reports alike: the first source's


@pytest.mark.slow
def test_each_event_is_read_once_ranked_by_coverage_and_every_source_is_linked(newsroom: Path):
    result = summary(daily(newsroom, "--date", "2026-11-02", "--json"))
    assert result["status"] == "published"
    # Three outlets, then two, then one each (in the sources' order).
    assert result["stories"] == [
        WREN,
        FERRY,
        "Herring station steam engine comes home",
        "Fog closes Sumburgh airport",
    ]
    events = result["events"]
    assert [e["outcome"] for e in events] == ["read"] * 4
    assert [e["outlets"] for e in events[:2]] == [
        ["Coast Courier", "Evening Lamp", "Northline Wire"],
        ["Coast Courier", "Northline Wire"],
    ]
    assert [e["score"] for e in events] == [3.0, 2.0, 1.0, 1.0]
    out = newsroom / "out"
    # chapters.json: each credited report is a chapter of its own, out of the contents.
    chapters = json.loads((out / "spacecast-2026-11-02.chapters.json").read_text())["chapters"]
    wren = next(i for i, c in enumerate(chapters) if c["title"] == WREN)
    assert chapters[wren]["url"] == "https://wire.example/corvid-wren-failure"
    assert chapters[wren + 1 : wren + 3] == [
        {
            "startTime": chapters[wren]["startTime"],
            "title": "Also reported by Coast Courier: Unst watches its rocket fall into the sea",
            "url": "https://courier.example/unst-rocket",
            "toc": False,
        },
        {
            "startTime": chapters[wren]["startTime"],
            "title": "Also reported by Evening Lamp: Bang goes the space dream",
            "url": "https://lamp.example/bang-goes-the-space-dream",
            "toc": False,
        },
    ]
    # The MP3's chapter frames link every source too.
    chap = next(
        f
        for f in ID3(out / "spacecast-2026-11-02.mp3").getall("CHAP")
        if str(f.sub_frames["TIT2"]) == WREN
    )
    links = {f.desc: f.url for f in chap.sub_frames.getall("WXXX")}
    assert links == {
        "Source": "https://wire.example/corvid-wren-failure",
        "Also reported by Coast Courier": "https://courier.example/unst-rocket",
        "Also reported by Evening Lamp": "https://lamp.example/bang-goes-the-space-dream",
    }
    notes = (out / "spacecast-2026-11-02.md").read_text()
    assert (
        f"{WREN} ([source](https://wire.example/corvid-wren-failure)). Also reported by "
        "[Coast Courier](https://courier.example/unst-rocket) and "
        "[Evening Lamp](https://lamp.example/bang-goes-the-space-dream)\n"
    ) in notes
    assert (
        f"{FERRY} ([source](https://courier.example/ferry-walkout)). Also reported by "
        "[Northline Wire](https://wire.example/yell-ferry-strike)\n"
    ) in notes
    item = feedparser.parse((out / "feed.xml").read_bytes()).entries[0]
    assert (
        "Also reported by Coast Courier (https://courier.example/unst-rocket) and Evening "
        "Lamp (https://lamp.example/bang-goes-the-space-dream)"
    ) in item.description
    page = (out / "index.html").read_text()
    assert 'href="https://lamp.example/bang-goes-the-space-dream"' in page
    # Read once: the launch is one chapter, and only the wire's words are spoken.
    transcript = (out / "spacecast-2026-11-02.txt").read_text()
    assert transcript.count(WREN) == 1
    assert "Debris fell into the sea north of the island and nobody was hurt." in transcript
    for other in ("Crofter Magnus Tulloch", "Islanders on Unst", "Coastguard crews"):
        assert other not in transcript
    # A rerun the same day finds the same events: nothing to do.
    again = summary(daily(newsroom, "--date", "2026-11-02", "--json"))
    assert (again["status"], again["stories"]) == ("up-to-date", result["stories"])
    assert [e["articles"] for e in again["events"]] == [e["articles"] for e in events]


@pytest.mark.slow
def test_the_next_day_repeats_nothing_and_an_update_is_read_as_one(newsroom: Path):
    summary(daily(newsroom, "--date", "2026-11-02", "--json"))
    story(
        newsroom / "radio",
        "wren.md",
        "Wren rocket lost over Unst",
        "https://radio.example/wren-lost",
        "2026-11-03",
        WREN_RADIO,
    )
    story(
        newsroom / "wire",
        "school.md",
        "Building starts on Baltasound school",
        "https://wire.example/baltasound-school",
        "2026-11-03",
        SCHOOL_WIRE,
    )
    tuesday = summary(daily(newsroom, "--date", "2026-11-03", "--json"))
    assert tuesday["stories"] == ["Building starts on Baltasound school"]
    repeat = next(e for e in tuesday["events"] if e["outcome"] == "repeat")
    assert repeat["title"] == "Wren rocket lost over Unst"
    assert sorted(a["outlet"] for a in repeat["read_before"]) == [
        "Coast Courier",
        "Evening Lamp",
        "Northline Wire",
    ]
    # Nothing new on Wednesday: no episode.
    wednesday = summary(daily(newsroom, "--date", "2026-11-04", "--json"))
    assert wednesday["status"] == "no-news"
    story(
        newsroom / "wire",
        "wren-cause.md",
        CAUSE,
        "https://wire.example/wren-valve",
        "2026-11-06",
        WREN_CAUSE,
    )
    friday = summary(daily(newsroom, "--date", "2026-11-06", "--json"))
    assert friday["stories"] == [CAUSE]
    assert friday["events"][0]["outcome"] == "update"
    assert friday["events"][0]["update_of"] == WREN
    transcript = (newsroom / "out" / "spacecast-2026-11-06.txt").read_text()
    assert f"An update on {WREN}." in transcript


@pytest.mark.slow
def test_dry_run_lists_events_and_writes_nothing(newsroom: Path):
    proc = daily(newsroom, "--date", "2026-11-02", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert not (newsroom / "out").exists()
    lines = proc.stdout.splitlines()
    assert lines[0] == (
        "Events for 2026-11-02, best first (dry run: nothing spoken or written; the length "
        "may leave out some of the first 8):"
    )
    assert lines[1] == f" 1. {WREN} (score 3.00, 3 outlets): would be read"
    assert lines[2] == (
        f"      read: Northline Wire: {WREN} <https://wire.example/corvid-wren-failure>"
    )
    assert lines[3] == (
        "      also: Coast Courier: Unst watches its rocket fall into the sea "
        "<https://courier.example/unst-rocket>"
    )
    config = newsroom / "spacecast.toml"
    config.write_text(config.read_text().replace("minutes = 3", "minutes = 3\nmax_stories = 2"))
    data = summary(daily(newsroom, "--date", "2026-11-02", "--dry-run", "--json"))
    assert data["status"] == "dry-run"
    assert data["stories"] == [WREN, FERRY]
    assert [e["outcome"] for e in data["events"]] == ["read", "read", "max_stories", "max_stories"]
    assert data["events"][1]["articles"] == [
        {"outlet": "Coast Courier", "title": FERRY, "url": "https://courier.example/ferry-walkout"},
        {
            "outlet": "Northline Wire",
            "title": "Yell Sound ferry crews strike over rotas",
            "url": "https://wire.example/yell-ferry-strike",
        },
    ]
    assert not (newsroom / "out").exists()


@pytest.mark.slow
def test_a_dry_run_after_a_day_touches_neither_the_memory_nor_the_log(newsroom: Path):
    summary(daily(newsroom, "--date", "2026-11-02", "--json"))
    out = newsroom / "out"
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    story(newsroom / "radio", "wren.md", "Wren rocket lost over Unst",
          "https://radio.example/wren-lost", "2026-11-03", WREN_RADIO)  # fmt: skip
    data = summary(daily(newsroom, "--date", "2026-11-03", "--dry-run", "--json"))
    assert [(e["title"], e["outcome"]) for e in data["events"]] == [
        ("Wren rocket lost over Unst", "repeat")
    ]
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_a_source_weight_outranks_coverage(newsroom: Path):
    config = newsroom / "spacecast.toml"
    config.write_text(
        config.read_text().replace('name = "Radio North"', 'name = "Radio North"\nweight = 4')
    )
    data = summary(daily(newsroom, "--date", "2026-11-02", "--dry-run", "--json"))
    assert [e["title"] for e in data["events"]][:2] == ["Fog closes Sumburgh airport", WREN]
    assert data["events"][0]["score"] == 4.0


def test_a_weight_out_of_range_names_the_source(newsroom: Path):
    config = newsroom / "spacecast.toml"
    config.write_text(config.read_text().replace('name = "Radio North"', "weight = 0"))
    proc = daily(newsroom, "--dry-run")
    assert proc.returncode == 78
    assert "sources[3].weight" in proc.stderr and proc.stderr.count("\n") == 1


# --- the stage itself -----------------------------------------------------------------------


def article(title: str, paragraphs, outlet: str, url: str, day: str = "2026-11-02") -> Article:
    return Article(
        source=url,
        title=title,
        paragraphs=tuple(paragraphs),
        url=url,
        date=dt.date.fromisoformat(day),
        outlet=outlet,
    )


NEXT_LAUNCH = (
    "Corvid Space launched a Wren rocket from Unst on Thursday and placed a small radar "
    "satellite in orbit, three days after the failure of the same rocket type.",
    "The company said the satellite had sent its first signals to a ground station in "
    "Tromso an hour after liftoff.",
)


def test_group_keeps_two_launches_on_different_days_apart():
    hour = 3600.0
    reports = [
        Report("Corvid Space rocket breaks apart", " ".join(WREN_WIRE), 0, "Wire"),
        Report("Ferry crews strike", " ".join(FERRY_WIRE), 1 * hour, "Wire"),
        Report("Bang goes the space dream", " ".join(WREN_LAMP), 3 * hour, "Lamp"),
        Report("Ferry walkout", " ".join(FERRY_COURIER), 4 * hour, "Courier"),
        Report("Unst watches its rocket fall", " ".join(WREN_COURIER), 5 * hour, "Courier"),
        Report("Fog closes airport", " ".join(FOG_RADIO), 6 * hour, "Radio"),
        # The same rocket's next flight, three days later: another event.
        Report("Wren reaches orbit", " ".join(NEXT_LAUNCH), 72 * hour, "Wire"),
    ]
    assert group(reports) == [(0, 2, 4), (1, 3), (5,), (6,)]
    # One outlet's two reports within the window are two events, not one.
    lamp_as_wire = Report(reports[2].title, reports[2].text, 3 * hour, "Wire")
    assert group([*reports[:2], lamp_as_wire, *reports[3:]])[:3] == [(0, 4), (1, 3), (2,)]


def test_event_score_is_coverage_times_recency():
    date = dt.date(2026, 11, 3)
    one = lambda outlet: 1.0  # noqa: E731
    assert event_score(["A", "B", "A"], date, date, one) == 2.0
    assert event_score(["A", "B"], dt.date(2026, 11, 2), date, one) == 1.0  # halved a day
    assert event_score(["A", "B"], date, date, {"A": 3.0, "B": 1.0}.get) == 4.0


def test_the_best_report_is_read_and_the_others_are_credited():
    wire = article(WREN, WREN_WIRE, "Northline Wire", "https://wire.example/w")
    lamp = article("Bang goes the space dream", WREN_LAMP, "Evening Lamp", "https://lamp.example/w")
    radio = article("Wren lost", WREN_RADIO, "Radio North", "https://radio.example/w")
    (event,) = plan_events([radio, lamp, wire], date=dt.date(2026, 11, 2))
    # The radio brief is the last choice; of the full reports, the one closest to the rest.
    assert event.lead is wire
    told = event.story()
    assert [c.outlet for c in told.also] == ["Radio North", "Evening Lamp"]
    assert told.update_of is None


def test_update_and_repeat_against_what_was_read():
    read = [
        (article(WREN, WREN_WIRE, "Northline Wire", "https://wire.example/w"), dt.date(2026, 11, 2))
    ]
    again = article("Wren lost", WREN_RADIO, "Radio North", "https://radio.example/w", "2026-11-03")
    (repeat,) = plan_events([again], date=dt.date(2026, 11, 3), read=read)
    assert repeat.repeat and repeat.read_before == (read[0][0],)
    cause = article(CAUSE, WREN_CAUSE, "Northline Wire", "https://wire.example/v", "2026-11-06")
    (update,) = plan_events([cause], date=dt.date(2026, 11, 6), read=read)
    assert not update.repeat
    assert update.story().update_of == WREN


def test_an_update_is_introduced_by_the_update_phrase():
    cause = article(CAUSE, WREN_CAUSE, "Wire", "https://wire.example/v")
    script = compose(
        [replace(cause, update_of=WREN)],
        date=dt.date(2026, 11, 6),
        story_words=200,
        show=ShowFormat(),
    )
    story_segment = next(s for s in script.segments if s.kind == "story")
    assert story_segment.text.startswith(f"An update on {WREN}.\n\n{CAUSE}.\n\n")


# --- credits through the data types ---------------------------------------------------------

CREDITS = (
    Credit("Coast Courier", "Unst watches its rocket fall", "https://courier.example/u"),
    Credit("Radio North", "Wren lost", None),
)


def credited_script() -> Script:
    return Script(
        title="Isles Briefing",
        date=dt.date(2026, 11, 2),
        segments=(
            Segment("intro", "Welcome", "anchor", "Good morning."),
            Segment(
                "story",
                WREN,
                "correspondent",
                "The rocket broke apart.",
                source="https://wire.example/w",
                source_sentences=("The rocket broke apart.",),
                also=CREDITS,
            ),
        ),
    )


def test_script_files_keep_the_credits():
    script = credited_script()
    markdown = to_markdown(script)
    assert (
        "source: https://wire.example/w\n"
        "also: Coast Courier | Unst watches its rocket fall <https://courier.example/u>\n"
        "also: Radio North | Wren lost\n"
    ) in markdown
    assert parse_markdown(markdown, "s.md").segments[1].also == CREDITS
    assert parse_json(to_json(script), "s.json") == script


def test_an_outlet_with_a_bar_in_its_name_reads_back_whole():
    piped = (Credit("BBC | World", "Rocket lost | live", "https://bbc.example/w"),)
    story = replace(credited_script().segments[1], also=piped)
    script = replace(credited_script(), segments=(credited_script().segments[0], story))
    markdown = to_markdown(script)
    assert "also: BBC \\| World | Rocket lost | live <https://bbc.example/w>\n" in markdown
    assert parse_markdown(markdown, "s.md").segments[1].also == piped


def test_a_bad_credit_line_names_the_line():
    text = "---\ntitle: T\ndate: 2026-11-02\n---\n\n## story: S\nvoice: v\nalso: no bar\n\nText.\n"
    with pytest.raises(InputError, match=r"s.md: line 8: expected 'also: Outlet \| Title <link>'"):
        parse_markdown(text, "s.md")


def test_chapters_notes_and_record_carry_the_credits(tmp_path: Path):
    mark = Chapter(10.0, 40.0, WREN, "story", "https://wire.example/w", also=CREDITS)
    data = json.loads(chapters_json([mark]))["chapters"]
    assert data[1] == {
        "startTime": 10.0,
        "title": "Also reported by Coast Courier: Unst watches its rocket fall",
        "url": "https://courier.example/u",
        "toc": False,
    }
    assert len(data) == 2  # a credit without a link has no chapter of its own
    assert notes_markdown("T", "I", [mark]).splitlines()[4] == (
        f"- 0:10 {WREN} ([source](https://wire.example/w)). Also reported by "
        "[Coast Courier](https://courier.example/u) and Radio North"
    )
    assert (
        'Also reported by <a href="https://courier.example/u" title="Unst watches its rocket '
        'fall">Coast Courier</a> and Radio North</li>'
    ) in notes_html_fragment([mark])
    from spacecast.publish.episode import EpisodeFiles, EpisodeRecord

    record = EpisodeRecord(
        guid="g",
        show="S",
        title="T",
        date=dt.date(2026, 11, 2),
        published=dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC),
        description="d",
        duration=50.0,
        audio_bytes=1,
        files=EpisodeFiles.for_audio("a.mp3"),
        chapters=(mark,),
        integrated_lufs=-16.0,
        true_peak_dbtp=-1.5,
    )
    path = tmp_path / "a.episode.json"
    path.write_bytes(record_bytes(record))
    assert read_record(path) == record


def test_the_memory_keeps_outlets_and_reads_back_the_last_week(tmp_path: Path):
    from spacecast.daily.state import StoryStore

    wire = article(WREN, WREN_WIRE, "Northline Wire", "https://wire.example/w")
    lamp = article("Bang goes the space dream", WREN_LAMP, "Evening Lamp", "https://lamp.example/w")
    with StoryStore(tmp_path) as store:
        store.remember([wire, lamp], dt.date(2026, 11, 2))
        fog = article(
            "Fog closes Sumburgh airport", FOG_RADIO, "Radio North", "https://r.example/f"
        )
        store.remember([], dt.date(2026, 11, 8), left_out=[fog])  # left out: not memory
    with StoryStore(tmp_path, read_only=True) as store:
        read = store.read_before(dt.date(2026, 11, 9))
        assert [(a.outlet, day) for a, day in read] == [
            ("Northline Wire", dt.date(2026, 11, 2)),
            ("Evening Lamp", dt.date(2026, 11, 2)),
        ]
        assert store.read_before(dt.date(2026, 11, 10)) == []  # a week on: forgotten
        assert store.read_before(dt.date(2026, 11, 2)) == []  # the day's own: not memory


@pytest.mark.slow
def test_build_and_script_from_the_configured_sources_read_each_event_once(newsroom: Path):
    proc = subprocess.run(
        [EXE, "script", "--config", str(newsroom / "spacecast.toml"), "--format", "json",
         "--date", "2026-11-02"],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    segments = json.loads(proc.stdout)["segments"]
    stories = [s for s in segments if s["kind"] == "story"]
    # As daily reads them: ranked by coverage, the rocket from three outlets read once.
    assert [s["title"] for s in stories] == [
        WREN,
        FERRY,
        "Herring station steam engine comes home",
        "Fog closes Sumburgh airport",
    ]
    assert sorted(credit["outlet"] for credit in stories[0]["also"]) == [
        "Coast Courier",
        "Evening Lamp",
    ]
    # build reads the same: the episode's chapters, in that order, the rocket once.
    mp3 = newsroom / "built.mp3"
    built = subprocess.run(
        [EXE, "build", "--config", str(newsroom / "spacecast.toml"), "--date", "2026-11-02",
         "-o", str(mp3), "-q"],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert (built.returncode, built.stderr) == (0, "")
    chapters = json.loads(mp3.with_suffix(".chapters.json").read_text())["chapters"]
    titles = [c["title"] for c in chapters]
    assert [t for t in titles if t in {s["title"] for s in stories}] == [
        s["title"] for s in stories
    ]
    assert titles.count(WREN) == 1


def test_an_update_of_a_story_without_a_headline_does_not_name_it():
    # Its label comes from its text and is never spoken: the update is read without intro.
    before = article("", WREN_WIRE, "Wire", "https://wire.example/wren")
    cause = article(CAUSE, WREN_CAUSE, "Wire", "https://wire.example/v")
    story = Event(articles=(cause,), follows=before).story()
    assert story.update_of is None
    script = compose([story], date=dt.date(2026, 11, 6), story_words=200, show=ShowFormat())
    story_segment = next(s for s in script.segments if s.kind == "story")
    assert story_segment.text.startswith(f"{CAUSE}.\n\n")
    # With a headline, the update names it.
    named = Event(articles=(cause,), follows=replace(before, title=f"“{WREN}.”")).story()
    assert named.update_of == f"“{WREN}.”"
    script = compose([named], date=dt.date(2026, 11, 6), story_words=200, show=ShowFormat())
    story_segment = next(s for s in script.segments if s.kind == "story")
    assert story_segment.text.startswith(f"An update on {WREN}.\n\n{CAUSE}.\n\n")
