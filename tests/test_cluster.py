"""Speech on a real Dask cluster: a LocalCluster of two worker processes (spawned, each with
its own eSpeak NG), one shared cache folder. A take that two shows share is spoken once; a
worker killed while speaking loses nothing; a build on the cluster publishes what a local
build would from the same takes; and without Dask, asking for it is a one-line error."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner

from spacecast.cli import cli
from spacecast.models import Script, Segment
from spacecast.speech.profiles import load_voices
from spacecast.speech.session import SpeechSession
from spacecast.speech.synthesize import SegmentNotSpoken

distributed = pytest.importorskip(
    "distributed", reason="Dask is not installed: pip install -e '.[test,dask]' runs these"
)

from spacecast.speech.executors import takes_spoken  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).parent / "spacecast")
DAY = dt.date(2026, 11, 30)

INTRO_A = "Good morning. This is the harbour report."
INTRO_B = "Good evening. This is the valley report."
SHARED = (
    "The ferry to the outer islands runs again from Monday. Crews finished the new landing "
    "stage a week early, the port said."
)
ONLY_A = "The harbour museum opens a room of old ship models. Entry is free on Sundays."
ONLY_B = "The valley orchard expects a late apple harvest after a cold spring."


@pytest.fixture(scope="module")
def cluster():
    """A real LocalCluster: two worker processes of one thread each, no dashboard."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):
        yield local, client


def address(local) -> str:
    return local.scheduler_address.replace("tcp://", "dask://")


def spoken_so_far(client) -> int:
    return sum(count for _, count in client.run(takes_spoken).values())


def show(title: str, intro: str, stories: list[tuple[str, str]]) -> Script:
    segments = [Segment("intro", "Welcome", "anchor", intro)]
    segments += [Segment("story", name, "correspondent", text) for name, text in stories]
    return Script(title=title, date=DAY, segments=tuple(segments))


@pytest.mark.slow
def test_two_shows_sharing_a_story_speak_its_take_once(cluster, tmp_path: Path):
    local, client = cluster
    voices = load_voices(REPO / "voices")
    harbour = show("Harbour", INTRO_A, [("Ferry", SHARED), ("Museum", ONLY_A)])
    valley = show("Valley", INTRO_B, [("Ferry", SHARED), ("Orchard", ONLY_B)])
    before = spoken_so_far(client)
    reports = {}

    def build(script: Script) -> None:
        with SpeechSession(voices, cache_dir=tmp_path, executor=address(local)) as speech:
            reports[script.title] = speech.synthesize(script)

    # Both at once, as a daily run of several shows on a cluster does.
    threads = [threading.Thread(target=build, args=(s,)) for s in (harbour, valley)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
        assert not thread.is_alive(), "a build did not finish"
    a, b = reports["Harbour"], reports["Valley"]
    assert a.keys[1] == b.keys[1]  # the shared story: one take
    assert len(set(a.keys) | set(b.keys)) == 5
    assert spoken_so_far(client) - before == 5  # the shared take was spoken once
    # Each show reads the same take back, whole, from the shared folder.
    assert a.takes[1].pcm == b.takes[1].pcm
    assert [s.text for s in a.takes[1].sentences] == [
        "The ferry to the outer islands runs again from Monday.",
        "Crews finished the new landing stage a week early, the port said.",
    ]
    # A later run (another machine, the next day) finds every take made.
    with SpeechSession(voices, cache_dir=tmp_path, executor=address(local)) as speech:
        again = speech.synthesize(valley)
    assert (again.synthesized, again.cached) == (0, 3)
    assert spoken_so_far(client) - before == 5


@pytest.mark.slow
def test_a_worker_killed_while_speaking_loses_no_take(cluster, tmp_path: Path):
    local, client = cluster
    voices = load_voices(REPO / "voices")
    paragraph = " ".join(
        f"Sentence {word} of the long report says the river rose again overnight."
        for word in ("one", "two", "three", "four", "five", "six", "seven", "eight")
    )
    stories = [(f"Report {n}", f"Report number {n}. {paragraph}") for n in range(1, 7)]
    script = show("River", INTRO_A, stories)
    pids = client.run(os.getpid)
    result = {}

    def build() -> None:
        with SpeechSession(voices, cache_dir=tmp_path, executor=address(local)) as speech:
            result["report"] = speech.synthesize(script)

    thread = threading.Thread(target=build)
    thread.start()
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline and thread.is_alive():
        busy = [worker for worker, keys in client.processing().items() if keys]
        if busy:
            killed = pids[busy[0]]
            os.kill(killed, signal.SIGKILL)  # lost mid-job, as a machine that goes down
        time.sleep(0.05)
    thread.join(180)
    assert not thread.is_alive(), "the build did not finish"
    assert killed is not None, "no job was running to interrupt"
    report = result["report"]
    assert len(report.keys) == 7
    # Every take there, whole: the greeting's two sentences, each report's nine.
    assert [len(take.sentences) for take in report.takes] == [2, 9, 9, 9, 9, 9, 9]
    assert all(len(take.pcm) // 2 == take.sentences[-1].end for take in report.takes)
    # The nanny started a new worker in place of the killed one.
    client.wait_for_workers(2, timeout=60)
    assert killed not in client.run(os.getpid).values()


@pytest.mark.slow
def test_a_take_that_cannot_be_spoken_fails_naming_its_segment(cluster, tmp_path: Path):
    local, _ = cluster
    voices = load_voices(REPO / "voices")
    silent = Script("Quiet", DAY, (Segment("intro", "Welcome", "anchor", "_"),))
    with (
        SpeechSession(voices, cache_dir=tmp_path, executor=address(local)) as speech,
        pytest.raises(SegmentNotSpoken) as caught,
    ):
        speech.synthesize(silent)  # tried on the cluster three times, then given up
    assert str(caught.value) == "intro segment 'Welcome': the engine returned silence for: '_'"
    # The cluster goes on speaking for the other shows.
    with SpeechSession(voices, cache_dir=tmp_path, executor=address(local)) as speech:
        report = speech.synthesize(show("Harbour", INTRO_A, [("Museum", ONLY_A)]))
    assert (len(report.keys), report.synthesized, report.cached) == (2, 2, 0)


@pytest.mark.slow
def test_build_on_the_cluster_publishes_what_a_local_build_makes_from_its_takes(
    cluster, tmp_path: Path
):
    local, _ = cluster
    cache = tmp_path / "cache"
    common = [
        "build", str(REPO / "seeds"), "--minutes", "1", "--date", "2026-11-30",
        "--cache-dir", str(cache), "-v",
    ]  # fmt: skip
    on_cluster = CliRunner().invoke(
        cli, [*common, "-o", str(tmp_path / "cluster.mp3"), "--executor", address(local)]
    )
    assert on_cluster.exit_code == 0, on_cluster.stderr
    assert "Segments: 4 synthesized, 0 from the cache" in on_cluster.stderr
    here = CliRunner().invoke(cli, [*common, "-o", str(tmp_path / "local.mp3")])
    assert here.exit_code == 0, here.stderr
    assert "Segments: 0 synthesized, 4 from the cache" in here.stderr
    assert (tmp_path / "cluster.mp3").read_bytes() == (tmp_path / "local.mp3").read_bytes()


@pytest.mark.slow
def test_a_cluster_needs_a_shared_cache(cluster, tmp_path: Path):
    local, _ = cluster
    result = CliRunner().invoke(
        cli, ["build", str(REPO / "seeds"), "--no-cache", "--executor", address(local)]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --no-cache cannot be used with --executor {address(local)}: the cluster's "
        "workers write the takes into the speech cache; give a --cache-dir they all reach\n"
    )


def test_without_dask_asking_for_it_says_how_to_install_it(monkeypatch, tmp_path: Path):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    result = CliRunner().invoke(
        cli,
        ["build", str(REPO / "seeds"), "--cache-dir", str(tmp_path),
         "--executor", "dask://127.0.0.1:8786"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --executor dask://127.0.0.1:8786: the Dask executor needs Dask's distributed "
        "package: pip install 'spacecast[dask]'\n"
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("dask://", "must be \"local\" or dask://HOST:PORT (the Dask scheduler: "
         "dask://127.0.0.1:8786)"),
        ("tcp://127.0.0.1:8786", "must be \"local\" or dask://HOST:PORT (the Dask scheduler: "
         "dask://127.0.0.1:8786)"),
        ("dask://127.0.0.1:99999", "has port 99999: give a port from 1 to 65535"),
    ],
)  # fmt: skip
def test_a_bad_executor_is_a_one_line_error(value: str, problem: str, tmp_path: Path):
    result = CliRunner().invoke(cli, ["build", str(REPO / "seeds"), "--executor", value])
    assert result.exit_code == 2
    assert result.stderr == f"Error: --executor: {value!r} {problem}\n"
    config = tmp_path / "spacecast.toml"
    config.write_text(f'[run]\nexecutor = "{value}"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--config", str(config)])
    assert result.exit_code == 78
    assert result.stderr == f"Error: {config}: line 2: run.executor: {problem}\n"


def write_shows(root: Path, cluster_address: str, names: list[str]) -> Path:
    """A spacecast.toml of one show per name, each with the shared ferry story and one of
    its own, real eSpeak NG voices, one cache folder; the run's executor is the cluster."""
    own = {"harbour": ONLY_A, "valley": ONLY_B}
    text = (
        f'[briefing]\nminutes = 1\nvoices_dir = "{REPO / "voices"}"\n\n'
        f'[output]\ncache_dir = "cache"\n\n[run]\nexecutor = "{cluster_address}"\n'
    )
    for name in names:
        news = root / "news" / name
        news.mkdir(parents=True)
        (news / "ferry.txt").write_text(f"Ferry runs again\n\n{SHARED}\n", encoding="utf-8")
        (news / "own.txt").write_text(f"{name.title()} news\n\n{own[name]}\n", encoding="utf-8")
        text += (
            f'\n[[shows]]\nname = "{name}"\nshow.title = "{name.title()} Report"\n'
            f'output.folder = "{name}"\n'
            f'sources = [{{ folder = "news/{name}" }}, {{ folder = "news/{name}-gone" }}]\n'
        )
    (root / "spacecast.toml").write_text(text, encoding="utf-8")
    return root / "spacecast.toml"


def published_length(folder: Path) -> float:
    """The length in seconds of the one episode ``folder``'s feed lists, having checked
    that the feed names it whole (its enclosure's length is the file's size)."""
    from mutagen.mp3 import MP3

    mp3 = folder / "spacecast-2026-11-30.mp3"
    parsed = feedparser.parse((folder / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    assert [e.enclosures[0].href.rsplit("/", 1)[-1] for e in parsed.entries] == [mp3.name]
    assert int(parsed.entries[0].enclosures[0].length) == mp3.stat().st_size
    return MP3(mp3).info.length


def built_so_far(client) -> int:
    from spacecast.daily.cluster import shows_built

    return sum(count for _, count in client.run(shows_built).values())


@pytest.mark.slow
def test_daily_sends_each_show_to_the_cluster_and_says_what_each_said(cluster, tmp_path: Path):
    local, client = cluster
    config = write_shows(tmp_path, address(local), ["harbour", "valley"])
    spoken, built = spoken_so_far(client), built_so_far(client)
    result = CliRunner().invoke(
        cli, ["daily", "--config", str(config), "--date", "2026-11-30", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    shows = {show["name"]: show for show in json.loads(result.stdout)["shows"]}
    assert [shows[n]["status"] for n in ("harbour", "valley")] == ["published", "published"]
    # Each show was built by a worker, not here; its takes were spoken on the cluster, those
    # the two shows share once: the ferry story, the link and the sign-off. 5 + 3 takes.
    assert built_so_far(client) - built == 2
    assert [shows[n]["synthesized"] + shows[n]["cached"] for n in shows] == [5, 5]
    # A shared take counts as synthesized by each show that waited for it, but the workers
    # spoke it once. Also spoken: one take per voice to measure its speaking rate, by each
    # show that found it not yet measured (both, when they start at the same instant).
    assert spoken_so_far(client) - spoken in range(8 + 2, 8 + 4 + 1)
    # What each show said on its worker is said here, with its name, and in its own log.
    for name in ("harbour", "valley"):
        gone = tmp_path / "news" / f"{name}-gone"
        assert f"Warning: {name}: {gone}: no such folder\n" in result.stderr
        log = (tmp_path / name / "spacecast.log").read_text(encoding="utf-8")
        assert f"{name}: 2026-11-30: published {tmp_path / name}" in log
        assert f"{gone}: no such folder" in log
        assert published_length(tmp_path / name) == pytest.approx(shows[name]["duration"], abs=0.1)
    assert not list(tmp_path.glob("*/*.part"))


def test_a_show_whose_folder_a_worker_cannot_see_fails_saying_so(tmp_path: Path):
    from spacecast.daily.cluster import build_on_worker
    from spacecast.settings.resolve import resolve_shows

    config = write_shows(tmp_path, "local", ["harbour", "valley"])
    harbour = resolve_shows(config=config, flags={}, require_file=True, only="harbour")[0]
    outcome = build_on_worker(harbour, False)  # no lock file there: the run's folder is not here
    assert outcome.result is None
    assert outcome.error == (
        f"{tmp_path / 'harbour'}: not found on the Dask worker on {socket.gethostname()}: show "
        "folders must be on storage every worker mounts at the same path"
    )


@pytest.mark.slow
def test_a_show_that_fails_on_the_cluster_is_named_and_the_other_publishes(cluster, tmp_path: Path):
    local, _ = cluster
    config = write_shows(tmp_path, address(local), ["harbour", "valley"])
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace('name = "valley"\n', 'name = "valley"\nbriefing.anchor = "nobody"\n'),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["daily", "--config", str(config), "--date", "2026-11-30", "-q"]
    )
    assert result.exit_code == 2
    why = "unknown voice profile 'nobody': use one of anchor, correspondent"
    assert result.stderr.splitlines()[-1] == f'Error: show "valley" failed: {why}'
    assert published_length(tmp_path / "harbour") > 30
    assert not (tmp_path / "valley" / "spacecast-2026-11-30.mp3").exists()
    assert f"valley: {why}" in (tmp_path / "valley" / "spacecast.log").read_text()


@pytest.mark.slow
def test_a_worker_killed_while_building_a_show_loses_no_episode(cluster, tmp_path: Path):
    local, client = cluster
    config = write_shows(tmp_path, address(local), ["harbour", "valley"])
    pids = client.run(os.getpid)
    daily = subprocess.Popen(
        [EXE, "daily", "--config", str(config), "--date", "2026-11-30", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killed = None
    deadline = time.monotonic() + 60
    while killed is None and time.monotonic() < deadline and daily.poll() is None:
        for worker, keys in client.processing().items():
            if any(str(key).startswith("spacecast-show-") for key in keys):
                killed = pids[worker]
                os.kill(killed, signal.SIGKILL)  # a machine lost in the middle of a show
                break
        time.sleep(0.02)
    _, err = daily.communicate(timeout=300)
    assert killed is not None, "no show was running to interrupt"
    assert daily.returncode == 0, err
    for name in ("harbour", "valley"):
        assert published_length(tmp_path / name) > 30  # a greeting, two stories, a sign-off
    client.wait_for_workers(2, timeout=60)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_a_cluster_without_workers_fails_its_shows_instead_of_waiting(monkeypatch, tmp_path):
    from spacecast.speech import executors

    monkeypatch.setattr(executors, "NO_WORKERS_SECONDS", 1.0)
    with distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=None) as empty:
        config = write_shows(tmp_path, address(empty), ["harbour", "valley"])
        result = CliRunner().invoke(
            cli, ["daily", "--config", str(config), "--date", "2026-11-30", "-q"]
        )
        build = CliRunner().invoke(
            cli,
            ["build", str(REPO / "seeds"), "--cache-dir", str(tmp_path / "cache"),
             "--executor", address(empty), "-o", str(tmp_path / "b.mp3")],
        )  # fmt: skip
    where = empty.scheduler_address
    why = (
        f"the Dask cluster at {where} has had no workers for 1 s: start them with "
        f"`dask worker {where}`"
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f'Error: 2 of 2 shows failed: "harbour" ({why}); "valley" ({why})'
    )
    assert build.exit_code == 1
    assert build.stderr.endswith(f"{why}\n")
    assert not (tmp_path / "b.mp3").exists()


@pytest.mark.slow
def test_doctor_checks_the_cluster_its_workers_and_what_they_must_reach(cluster, tmp_path):
    local, _ = cluster
    config = write_shows(tmp_path, address(local), ["harbour", "valley"])
    result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
    lines = [line for line in result.stdout.splitlines() if "Dask cluster" in line]
    where = local.scheduler_address
    assert lines == [f"ok   Dask cluster     {where}: 2 workers, 2 threads"]
    # A show folder no worker can write to (here: under a file) is named.
    text = config.read_text(encoding="utf-8").replace(
        'output.folder = "valley"', 'output.folder = "blocker/valley"'
    )
    config.write_text(text, encoding="utf-8")
    (tmp_path / "blocker").write_text("not a folder")
    result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
    bad = [line for line in result.stdout.splitlines() if line.startswith("BAD  Dask cluster")]
    assert len(bad) == 2  # each worker
    assert all(
        f"cannot write to {tmp_path / 'blocker' / 'valley'}: put it on storage every worker "
        "mounts at the same path" in line
        for line in bad
    )
    assert result.exit_code == 1


@pytest.mark.slow
def test_doctor_says_when_the_scheduler_does_not_answer(tmp_path: Path):
    config = write_shows(tmp_path, "dask://127.0.0.1:9", ["harbour", "valley"])
    result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
    lines = [line for line in result.stdout.splitlines() if "Dask cluster" in line]
    assert len(lines) == 1
    assert lines[0].startswith("BAD  Dask cluster     cannot reach the Dask scheduler at "
                               "tcp://127.0.0.1:9")  # fmt: skip
    assert result.exit_code == 1


@pytest.mark.slow
def test_shows_built_on_the_cluster_are_what_the_local_executor_makes(cluster, tmp_path):
    local, _ = cluster
    config = write_shows(tmp_path, address(local), ["harbour", "valley"])
    day = ["--date", "2026-11-30", "-q"]
    assert CliRunner().invoke(cli, ["daily", "--config", str(config), *day]).exit_code == 0
    text = config.read_text(encoding="utf-8").replace(address(local), "local")
    for name in ("harbour", "valley"):
        text = text.replace(f'output.folder = "{name}"', f'output.folder = "here/{name}"')
    config.write_text(text, encoding="utf-8")
    here = CliRunner().invoke(cli, ["daily", "--config", str(config), *day[:2], "--json"])
    assert here.exit_code == 0, here.stderr
    assert [(s["synthesized"], s["cached"]) for s in json.loads(here.stdout)["shows"]] == [
        (0, 5),
        (0, 5),
    ]
    for name in ("harbour", "valley"):
        mp3 = f"{name}/spacecast-2026-11-30.mp3"
        assert (tmp_path / mp3).read_bytes() == (tmp_path / "here" / mp3).read_bytes()


@pytest.mark.slow
def test_a_show_whose_run_is_killed_stays_locked_until_its_worker_publishes_it(
    cluster, tmp_path: Path
):
    from spacecast.daily.run import RunInProgress, exclusive_lock

    local, client = cluster
    config = write_shows(tmp_path, address(local), ["harbour", "valley"])
    daily = subprocess.Popen(
        [EXE, "daily", "--config", str(config), "--date", "2026-11-30", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    building = None
    deadline = time.monotonic() + 60
    while building is None and time.monotonic() < deadline and daily.poll() is None:
        keys = [str(key) for keys in client.processing().values() for key in keys]
        building = next((k for k in keys if k.startswith("spacecast-show-")), None)
        time.sleep(0.01)
    assert building is not None, "no show was being built"
    daily.kill()  # the run that sent the shows is gone; the worker goes on with its show
    daily.wait()
    name = building.removeprefix("spacecast-show-").rsplit("-", 1)[0]
    folder = tmp_path / name
    # A new run now finds the show busy: the worker holds its lock, not the dead run.
    with pytest.raises(RunInProgress), exclusive_lock(folder):
        pass
    # Once the worker has published it, the lock is free and the episode whole.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with exclusive_lock(folder):
                break
        except RunInProgress:
            time.sleep(0.1)
    else:
        pytest.fail("the worker never let the show's lock go")
    assert published_length(folder) > 30


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_doctor_names_workers_that_cannot_run_spacecast(tmp_path: Path):
    broken = tmp_path / "elsewhere" / "spacecast"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text('raise ImportError("not this spacecast")\n')
    with (
        distributed.LocalCluster(n_workers=1, processes=True, dashboard_address=None) as other,
        distributed.Client(other, set_as_default=False) as client,
    ):
        # The worker now finds a spacecast that cannot be imported first.
        client.run(exec, f"import sys; sys.path.insert(0, {str(broken.parent)!r})")
        config = write_shows(tmp_path, address(other), ["harbour", "valley"])
        result = CliRunner().invoke(cli, ["doctor", "--config", str(config)])
    lines = [line for line in result.stdout.splitlines() if "Dask cluster" in line]
    assert lines[0].startswith("ok   Dask cluster")
    assert lines[1].startswith("BAD  Dask cluster     the workers cannot run spacecast (")
    assert lines[1].endswith("): install the same spacecast on every worker")
    assert result.exit_code == 1
