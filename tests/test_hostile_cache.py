"""A cache that checks what it reads: takes overwritten with noise or cut short, a stinger
cut to ten bytes, indexes and calibrations of the wrong types. Each is discarded and made
again, with a note under -v; never noise in the MP3, never a missing stinger, never a
traceback, and no build that fails until the cache is cleared by hand."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import TONE_RATE, write_voice
from spacecast.cli import cli


def build(articles: Path, voices: Path, cache: Path, out: Path):
    result = CliRunner().invoke(
        cli,
        [
            "build", str(articles), "-o", str(out), "--voices-dir", str(voices),
            "--cache-dir", str(cache), "--minutes", "1", "-v",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(articles, voices, a cache filled by one build), made once."""
    root = tmp_path_factory.mktemp("filled")
    voices = root / "voices"
    write_voice(voices, "anchor", "tone", "low", TONE_RATE)
    write_voice(voices, "correspondent", "tone", "high", TONE_RATE)
    articles = root / "articles"
    articles.mkdir()
    for name, topic in (("a", "harbour bridge"), ("b", "town library"), ("c", "ferry")):
        (articles / f"{name}.txt").write_text(
            f"News of the {topic}\n\nWork on the {topic} finished on Monday, the council "
            f"said. Residents welcomed the news about the {topic} at a meeting.\n",
            encoding="utf-8",
        )
    build(articles, voices, root / "cache", root / "first.mp3")
    return articles, voices, root / "cache"


@pytest.fixture
def cached(filled, tmp_path: Path):
    """A copy of the filled cache, and its takes' audio by path."""
    articles, voices, template = filled
    cache = tmp_path / "cache"
    shutil.copytree(template, cache)
    takes = {p: p.read_bytes() for p in sorted((cache / "takes").glob("*/*.pcm"))}
    return articles, voices, cache, takes


def notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("speech cache:")]


@pytest.mark.slow
def test_damaged_audio_is_noticed_and_made_again(cached, tmp_path):
    articles, voices, cache, takes = cached
    (noisy, noisy_audio), (short, short_audio) = sorted(takes.items())[:2]
    noisy.write_bytes(random.Random(1).randbytes(len(noisy_audio)))  # same size: was 15 s
    short.write_bytes(short_audio[:10])  # of noise in the MP3
    (intro,) = (cache / "stingers").glob("intro-*.pcm")
    intro_audio = intro.read_bytes()
    intro.write_bytes(intro_audio[:10])  # was an episode without stingers, and no warning
    for path in (cache / "calibration").glob("*.json"):
        path.write_text('{"per_char": "fast", "per_break": 0, "per_sentence": 0}')
    result = build(articles, voices, cache, tmp_path / "second.mp3")
    assert sorted(notes(result.stderr)) == sorted(
        [
            f"speech cache: take {noisy.stem[:12]}… has audio that does not match its "
            "checksum: made again",
            f"speech cache: take {short.stem[:12]}… has audio of the wrong size: made again",
            f"speech cache: stinger {intro.name} does not match its checksum: made again",
            *(
                f"speech cache: calibration {path.name} is damaged: measured again"
                for path in (cache / "calibration").glob("*.json")
            ),
        ]
    )
    # The tone engine speaks the same samples again; the stinger is the same sound.
    assert (noisy.read_bytes(), short.read_bytes()) == (noisy_audio, short_audio)
    assert intro.read_bytes() == intro_audio


DAMAGES = [
    lambda index: {**index, "bytes": "many"},  # was a TypeError
    lambda index: {**index, "sample_rate": 0},  # was a ZeroDivisionError
    lambda index: {**index, "sample_rate": 22050.5},
    lambda index: {**index, "sentences": [{"text": 3, "start": 0, "end": 1, "paragraph": 0}]},
    lambda index: {**index, "sentences": [{"text": "x", "start": 5, "end": 1, "paragraph": 0}]},
    lambda index: {**index, "sha256": None},
    lambda index: [index],
    lambda index: "not an index",
]


@pytest.mark.slow
def test_indexes_of_the_wrong_shape_are_made_again(cached, tmp_path):
    articles, voices, cache, takes = cached
    assert len(takes) >= len(DAMAGES)
    damaged = sorted(takes)[: len(DAMAGES)]
    for audio, damage in zip(damaged, DAMAGES, strict=True):
        index = audio.with_suffix(".json")
        index.write_text(json.dumps(damage(json.loads(index.read_text()))))
    result = build(articles, voices, cache, tmp_path / "second.mp3")
    assert sorted(notes(result.stderr)) == sorted(
        f"speech cache: take {audio.stem[:12]}… its index is damaged: made again"
        for audio in damaged
    )
    for audio in damaged:
        assert json.loads(audio.with_suffix(".json").read_text())["bytes"] == len(takes[audio])


# --- several processes (or machines) sharing one cache folder --------------------------------


def _write_takes(folder: str, writer: int, keys: list[str], start: float) -> None:
    """In a spawned process: store a take of its own under each of ``keys``, all at once
    with the other writers, and read each back as it goes, as the other shows' builds do."""
    import time

    from spacecast.models import SentenceSpan, Take
    from spacecast.speech.cache import TakeCache

    store = TakeCache(Path(folder))
    time.sleep(max(0.0, start - time.time()))
    for key in keys:
        # A different length and content for each writer: an engine that never says the
        # same text twice the same way.
        frames = 20_000 + 997 * writer
        pcm = bytes([writer + 1, 0]) * frames
        spans = (SentenceSpan(text=f"writer {writer}", start=0, end=frames, paragraph=0),)
        store.put(key, Take(pcm=pcm, sample_rate=22050, sentences=spans))
        for other in keys:
            store.has(other)  # checks (and would discard) what other writers half wrote


@pytest.mark.slow
def test_takes_written_at_once_by_several_processes_are_never_torn(tmp_path: Path):
    import concurrent.futures as cf
    import multiprocessing
    import time

    from spacecast.speech.cache import TakeCache

    keys = [f"{index:02x}" + "ab" * 31 for index in range(24)]
    writers = 4
    start = time.time() + 2.0  # every process started and waiting: they race from here
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(writers, mp_context=context) as pool:
        done = [
            pool.submit(_write_takes, str(tmp_path), writer, keys, start)
            for writer in range(writers)
        ]
        for future in done:
            future.result()
    store = TakeCache(tmp_path)
    for key in keys:
        take = store.get(key)
        assert take is not None, key  # nothing discarded, nothing half written
        (span,) = take.sentences
        writer = int(span.text.split()[1])
        # The audio and its index are one writer's, whole.
        assert take.pcm == bytes([writer + 1, 0]) * (20_000 + 997 * writer)
    left = [p.name for p in tmp_path.rglob("*") if p.suffix in (".part", ".lock")]
    assert left == []
