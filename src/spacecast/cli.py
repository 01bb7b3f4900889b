"""The ``spacecast`` command line: a thin Click layer over the library.

Only this module imports Click. Library errors (``SpacecastError``) and Click's usage errors
are turned into one ``Error: …`` line on stderr, and an exit code, in one place; so is any
read or write that fails underneath (a full disk). Ctrl-C (SIGINT) and SIGTERM stop a
command the same way, cleaning up as they go: exit 130 and 143 (128 + the signal's number).
"""

from __future__ import annotations

import datetime as dt
import logging
import shlex
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import click

from spacecast import __version__
from spacecast.atomic import write_bytes
from spacecast.audio.mp3 import check_output_path
from spacecast.errors import SpacecastError, io_reason
from spacecast.limits import MAX_STORIES
from spacecast.memory import release_large_buffers
from spacecast.models import Episode, LeftOutStory, Script
from spacecast.pipeline import build, make_script, open_speech, render
from spacecast.publish.notes import clock, stories_count
from spacecast.settings.kinds import Flag, Number, PathKind, Whole, Word
from spacecast.settings.model import Briefing, Settings
from spacecast.settings.resolve import resolve_settings
from spacecast.settings.schema import BY_KEY, DEFAULT_SOURCES, Setting
from spacecast.sources.gather import SourceSpec
from spacecast.text.scriptfile import dump_script, read_script, script_format

if TYPE_CHECKING:  # the daily run is imported when the command runs
    from spacecast.daily.run import PlannedEvent, ShowResult
    from spacecast.text.article import Article

# A command function, or what a decorator wraps: options keep its type.
F = TypeVar("F", bound=Callable[..., Any])

LEFT_OUT_NAMED = 3
"""How many left-out stories the line on stderr names (``-v``: all of them)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C's KeyboardInterrupt so that the same clean-up runs."""


def _terminate(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the clean-up
    raise Terminated


class SpacecastGroup(click.Group):
    """Prints every error as one line and exits with its code: no tracebacks, no usage dump."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except SpacecastError as exc:
            _fail(str(exc), exc.exit_code)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except (click.exceptions.Abort, KeyboardInterrupt) as exc:
            # Click turns a KeyboardInterrupt into Abort; SIGTERM's rides along as its cause.
            if isinstance(exc, Terminated) or isinstance(exc.__cause__, Terminated):
                _fail("terminated", 143)
            _fail("interrupted", 130)
        except OSError as exc:  # a read or write that failed where nothing expected it
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{io_reason(exc)}", 1)
        sys.exit(result if isinstance(result, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class Reporter:
    """What a command says on stderr: warnings, progress on a terminal, and -v details."""

    def __init__(self, quiet: bool, verbose: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose and not quiet
        self.live = not quiet and sys.stderr.isatty()
        self._started: float | None = None
        # Takes already done when progress began came from the cache: no part of the ETA.
        self._first_done = 0

    def warn(self, message: str) -> None:
        if not self.quiet:
            click.echo(f"Warning: {message}", err=True)

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        if self.verbose:
            click.echo(message, err=True)

    def progress(self, done: int, total: int) -> None:
        """A bar with an estimate of the time left, redrawn in place (terminals only)."""
        if not self.live or not total:
            return
        now = time.monotonic()
        if self._started is None:
            self._started = now
            self._first_done = done
        width = 24
        filled = width * done // total
        line = f"Speaking [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        made = done - self._first_done
        if made > 0 and done < total:
            left = (now - self._started) / made * (total - done)
            line += f"  about {left:.0f} s left"
        click.echo(f"\r\033[K{line}", err=True, nl=False)

    def stage(self, name: str) -> None:
        """The step under way after speaking (mixing, encoding), on terminals only."""
        if self.live:
            click.echo(f"\r\033[K{name}…", err=True, nl=False)

    def clear(self) -> None:
        if self.live:
            click.echo("\r\033[K", err=True, nl=False)


class _Notes(logging.StreamHandler):
    """The library's notes (``log.info``: a damaged cache entry made again) on stderr."""


def _notes_on_stderr(verbose: bool) -> None:
    """With -v, the library's notes go to stderr (``daily`` has its own log set-up)."""
    logger = logging.getLogger("spacecast")
    for handler in [h for h in logger.handlers if isinstance(h, _Notes)]:
        logger.removeHandler(handler)
    if verbose:
        handler = _Notes(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


# --- options: every setting's flag is made from its schema entry ------------------------------


def _click_type(setting: Setting) -> Any:
    """The Click type of a setting's flag: ranges and choices come from its kind."""
    kind = setting.kind
    if setting.key == "run.date":
        return click.DateTime(["%Y-%m-%d"])
    if isinstance(kind, Number):
        if kind.low is not None and kind.high is not None:
            return click.FloatRange(kind.low, kind.high)
        return float
    if isinstance(kind, Whole):
        if kind.choices:
            return click.Choice([str(choice) for choice in kind.choices])
        return click.IntRange(kind.low, kind.high)
    if isinstance(kind, Word):
        return click.Choice(kind.choices)
    if isinstance(kind, PathKind):
        return click.Path(path_type=Path)
    return str


def _flag_help(setting: Setting, help: str | None) -> str:
    text = help or setting.help[0].upper() + setting.help[1:]
    text = text.rstrip(".") + "."
    default = setting.described_default()
    if setting.in_file:
        default = f"[{setting.section}] {setting.name}, else {default}"
    if setting.env:
        default = f"${setting.env}, else {default}"
    return f"{text} Default: {default}."


def _setting(key: str, *, help: str | None = None, **extra: Any) -> Callable[[F], F]:
    """The command-line option of setting ``key`` (its flag, type and help from the schema).
    Its value reaches the command as ``key`` with ``__`` for the dot, ``None`` when not given."""
    setting = BY_KEY[key]
    param = key.replace(".", "__")
    if isinstance(setting.kind, Flag):  # --no-cache: given means off
        return click.option(
            *setting.flags, param, is_flag=True, default=None, flag_value=False,
            help=help or setting.help,
        )  # fmt: skip
    options = {"type": _click_type(setting), "default": None, "help": _flag_help(setting, help)}
    return click.option(*setting.flags, param, **(options | extra))


def _given(params: dict[str, Any]) -> dict[str, Any]:
    """The settings given on the command line, by key (``{"briefing.minutes": 3.0}``)."""
    given = {}
    for name, value in params.items():
        if "__" not in name or value is None:
            continue
        key = name.replace("__", ".")
        if isinstance(BY_KEY[key].kind, Whole) and isinstance(value, str):
            value = int(value)  # a Choice of numbers (--bitrate)
        given[key] = value
    return given


def _settings(params: dict[str, Any], *, require_file: bool = False) -> Settings:
    """The run's settings: the settings file (``--config``), the environment and the flags
    given, in the one way every command uses; with ``--show NAME``, that ``[[shows]]``
    show's."""
    if params.get("show_name") is not None:
        from spacecast.settings.resolve import resolve_shows

        return resolve_shows(
            config=params.get("config_path"), flags=_given(params), only=params["show_name"]
        )[0]
    return resolve_settings(
        config=params.get("config_path"), flags=_given(params), require_file=require_file
    )


def _show_option(what: str) -> Callable[[F], F]:
    """``--show NAME``: one show of the settings file's ``[[shows]]``."""
    return click.option("--show", "show_name", metavar="NAME", help=what)


def _config_option(func: F) -> F:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Settings file. Default: $SPACECAST_CONFIG, else ./spacecast.toml, else "
        "~/.config/spacecast/spacecast.toml (the user config folder), the first that exists.",
    )(func)


def _apply(func: F, decorators: Sequence[Callable[[F], F]]) -> F:
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _format_option(default: str) -> Callable[[F], F]:
    """``--format``: the script file's format (``script`` writes it, ``render`` reads it)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["markdown", "json"]),
        help=f"Script format. Default: {default}.",
    )


def _quiet(func: F) -> F:
    return click.option("-q", "--quiet", is_flag=True, help="Print nothing on success.")(func)


def _common(func: F) -> F:
    """Options shared by build, script and render."""
    return _apply(
        func,
        [
            _setting("show.title"),
            _setting("run.date"),
            _setting("run.profile"),
            _setting("briefing.voices_dir", type=click.Path(path_type=Path, file_okay=False)),
            _quiet,
            click.option("-v", "--verbose", is_flag=True, help="Say more about what was done."),
            _config_option,
        ],
    )


def _audio_options(func: F) -> F:
    """Options for the commands that make audio."""
    return _apply(
        func,
        [
            _setting("run.cache", help="Synthesize everything afresh."),
            _setting("output.cache_dir", type=click.Path(path_type=Path, file_okay=False)),
            _setting("briefing.bitrate"),
            _setting("run.workers"),
            _setting("run.executor"),
            _setting("show.base_url"),
            _setting("show.cover"),
            _setting("briefing.lufs"),
            _setting("briefing.intro"),
            _setting("briefing.outro"),
            _setting("briefing.transition"),
        ],
    )


def _script_options(func: F) -> F:
    """Options that shape the script: its length and the show's style."""
    return _apply(func, [_setting("briefing.minutes"), _setting("briefing.style")])


def _default_output(settings: Settings) -> Path:
    folder = settings.output.folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SpacecastError(
            f"{folder}: cannot create the output folder ({exc.strerror})"
        ) from None
    return settings.episode_path()


def _sources(
    given: tuple[str, ...], settings: Settings
) -> tuple[tuple[str, ...], tuple[SourceSpec, ...]]:
    """(SOURCES to read, configured sources to gather): the ones given, else the settings
    file's ``[[sources]]``, else ``seeds/``."""
    if given:
        return given, ()
    if settings.sources_given:
        return (), settings.sources
    return DEFAULT_SOURCES, ()


def _stdin_if_needed(sources: Sequence[str]) -> BinaryIO | None:
    return sys.stdin.buffer if "-" in sources else None


def _length(
    duration: float,
    minutes: float | None,
    left_out: Sequence[LeftOutStory] = (),
    max_stories: int | None = None,
) -> str:
    """``4:58``; for an episode well short of the length asked, also why: ``1:06 of 5:00
    asked: every story is read in full`` (the articles ran out)."""
    length = clock(duration)
    if minutes and duration < 0.95 * minutes * 60:
        if any(story.reason == "length" for story in left_out):
            why = "the next story would not fit"
        elif any(story.reason == "max_stories" for story in left_out):
            why = (
                f"[briefing] max_stories is {max_stories}"
                if max_stories is not None
                else f"an episode holds at most {MAX_STORIES} stories"
            )
        elif left_out:  # only stories the engine could not speak
            why = "every story that could be spoken is read in full"
        else:
            why = "every story is read in full"
        length += f" of {clock(minutes * 60)} asked: {why}"
    return length


def _report_episode(
    reporter: Reporter,
    episode: Episode,
    target_minutes: float | None = None,
    script: Script | None = None,
) -> None:
    """The "Wrote" line; for a build (``script``), the stories left out; with -v, details."""
    stories = sum(1 for s in episode.segments if s.kind == "story")
    length = _length(episode.duration, target_minutes, script.left_out if script else ())
    reporter.info(f"Wrote {episode.path} ({length}, {stories_count(stories)})")
    if script and target_minutes:
        _report_left_out(reporter, script, target_minutes)
    reporter.detail(f"Segments: {episode.synthesized} synthesized, {episode.cached} from the cache")
    reporter.detail(
        f"Loudness: {episode.integrated_lufs:.1f} LUFS, true peak {episode.true_peak_dbtp:.1f} dBTP"
        + ("" if episode.encoded else " (the MP3 was already up to date)")
    )


def left_out_line(
    left_out: Sequence[LeftOutStory], read: int, minutes: float, *, every: bool
) -> str:
    """``Left out 7 of 12 stories to fit 2:00 …: "A", "B", "C" and 4 more`` (``every``: all)."""
    listed = _titles(left_out, every=every)
    named = sum(story.roundup for story in left_out)
    roundup = f" ({named} of them named in the round-up)" if named else ""
    total = read + len(left_out)
    fit = clock(minutes * 60)
    return f"Left out {len(left_out)} of {total} stories to fit {fit}{roundup}: {listed}"


def dropped_line(
    dropped: Sequence[LeftOutStory], total: int, max_stories: int | None, *, every: bool
) -> str:
    """``Left out 3 of 11 stories beyond [briefing] max_stories = 8: "A", "B", "C"``
    (``max_stories`` ``None``: beyond the most an episode can hold)."""
    beyond = (
        f"[briefing] max_stories = {max_stories}"
        if max_stories is not None
        else f"the {MAX_STORIES} an episode can hold"
    )
    return (
        f"Left out {len(dropped)} of {total} stories beyond {beyond}: "
        f"{_titles(dropped, every=every)}"
    )


def _titles(stories: Sequence[LeftOutStory], *, every: bool) -> str:
    names = [f'"{story.title}"' for story in stories]
    shown = names if every else names[:LEFT_OUT_NAMED]
    listed = ", ".join(shown)
    if len(shown) < len(names):
        listed += f" and {len(names) - len(shown)} more"
    return listed


def _report_left_out(reporter: Reporter, script: Script, minutes: float) -> None:
    read = sum(1 for s in script.segments if s.kind == "story")
    _report_left_out_stories(reporter, script.left_out, read, minutes)


def _report_left_out_stories(
    reporter: Reporter,
    left_out: Sequence[LeftOutStory],
    read: int,
    minutes: float,
    max_stories: int | None = None,
    *,
    prefix: str = "",
) -> None:
    """One line for the stories left out to fit the length, one for those beyond
    max_stories (all named with -v; nothing with -q); ``prefix``: the show's name."""
    fitted = [story for story in left_out if story.reason == "length"]
    if fitted:
        reporter.info(prefix + left_out_line(fitted, read, minutes, every=reporter.verbose))
    dropped = [story for story in left_out if story.reason == "max_stories"]
    if dropped:
        total = read + len(left_out)
        line = dropped_line(dropped, total, max_stories, every=reporter.verbose)
        reporter.info(prefix + line)


@click.group(cls=SpacecastGroup)
@click.version_option(__version__, prog_name="spacecast")
def cli() -> None:
    """Turn news articles into a podcast-style audio briefing, offline.

    \b
    Example:
        spacecast build                      # seeds/ -> briefings/spacecast-DATE.mp3
        spacecast script news/ -o script.md  # write the script, edit it, then:
        spacecast render script.md -o briefing.mp3
    """


@cli.command("build")
@click.argument("sources", nargs=-1)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="MP3 to write.")
@click.option(
    "--publish/--no-publish",
    default=None,
    help="Publish the MP3's folder as the show's: cover.jpg, feed.xml and index.html. "
    "Default: when the MP3 goes into the show's folder ([output] folder, briefings).",
)
@_script_options
@_common
@_audio_options
def build_command(
    sources: tuple[str, ...], output: Path | None, publish: bool | None, **params: Any
) -> None:
    """Make a briefing MP3 from article files, folders, web pages (http(s) URLs), or - for
    stdin.

    With no SOURCES: the [[sources]] of the settings file (spacecast.toml, see --config)
    when it has any, else seeds/. Writes briefings/spacecast-YYYY-MM-DD.mp3 with its
    sidecars and publishes the show's folder (cover.jpg, feed.xml, index.html); with -o
    elsewhere only the MP3 and its sidecars are written, unless --publish.

    \b
    Example:
        spacecast build
        spacecast build articles/ --minutes 3 -o today.mp3
        spacecast build https://www.example.com/news/story.html
    """
    reporter = Reporter(params["quiet"], params["verbose"])
    _notes_on_stderr(reporter.verbose)
    settings = _settings(params)
    sources, configured = _sources(sources, settings)
    script, episode = build(
        sources,
        output or _default_output(settings),
        settings,
        stdin=_stdin_if_needed(sources),
        warn=reporter.warn,
        on_progress=reporter.progress,
        on_stage=reporter.stage,
        configured=configured,
        publish=publish,
    )
    reporter.clear()
    _report_episode(reporter, episode, settings.briefing.minutes, script)


@cli.command("script")
@click.argument("sources", nargs=-1)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    default="-",
    help="Script file to write (.md or .json). Default: stdout.",
)
@_format_option("by the file extension, else markdown")
@_script_options
@_common
def script_command(sources: tuple[str, ...], output: Path, fmt: str | None, **params: Any) -> None:
    """Condense articles into an editable script, without speaking it.

    SOURCES are as for build: files, folders, http(s) URLs, or -. With no SOURCES: the
    [[sources]] of the settings file (spacecast.toml, see --config) when it has any, else
    seeds/.

    \b
    Example:
        spacecast script seeds/ -o script.md
        spacecast script news.html --format json > script.json
    """
    reporter = Reporter(params["quiet"], params["verbose"])
    _notes_on_stderr(reporter.verbose)
    settings = _settings(params)
    sources, configured = _sources(sources, settings)
    to_stdout = str(output) == "-"
    if not to_stdout:
        check_output_path(output)
    with open_speech(settings) as speech:
        script = make_script(
            sources,
            settings,
            speech,
            stdin=_stdin_if_needed(sources),
            warn=reporter.warn,
            configured=configured,
        )
    text = dump_script(script, script_format(output, fmt) if not to_stdout else (fmt or "markdown"))
    _report_left_out(reporter, script, settings.briefing.minutes)
    if to_stdout:
        click.echo(text, nl=False)
        return
    write_bytes(output, text.encode("utf-8"))
    stories = sum(1 for s in script.segments if s.kind == "story")
    reporter.info(f"Wrote {output} ({stories_count(stories)})")


@cli.command("render")
@click.argument("script_path", metavar="SCRIPT", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="MP3 to write.")
@click.option(
    "--publish",
    is_flag=True,
    help="Also publish the MP3's folder as the show's: cover.jpg, feed.xml and index.html. "
    "Without it only the MP3 and its sidecars are written.",
)
@_format_option("by the file extension")
@_common
@_audio_options
def render_command(
    script_path: Path, output: Path | None, fmt: str | None, publish: bool, **params: Any
) -> None:
    """Speak a script file exactly as written and write the MP3 and its sidecars (chapters,
    transcripts, show notes, the episode record); --publish also writes the folder's
    cover.jpg, feed.xml and index.html.

    \b
    Example:
        spacecast render script.md -o briefing.mp3
    """
    reporter = Reporter(params["quiet"], params["verbose"])
    _notes_on_stderr(reporter.verbose)
    settings = _settings(params)
    script = read_script(script_path, fmt)
    if settings.origin("run.date").kind == "flag":
        script = replace(script, date=settings.run.date)
    else:  # the script's own date
        settings = replace(settings, run=replace(settings.run, date=script.date))
    if settings.origin("show.title").kind == "flag":
        script = replace(script, title=settings.show.title)
    output = output or _default_output(settings)
    check_output_path(output)  # before the voices are loaded and the workers started
    with open_speech(settings) as speech:
        episode = render(
            script,
            output,
            settings,
            speech,
            on_progress=reporter.progress,
            on_stage=reporter.stage,
            warn=reporter.warn,
            publish=publish,
        )
    reporter.clear()
    _report_episode(reporter, episode)


def main() -> None:
    release_large_buffers()
    signal.signal(signal.SIGTERM, _terminate)
    cli(prog_name="spacecast")


@cli.command("voices")
@_setting("briefing.voices_dir", type=click.Path(path_type=Path, file_okay=False))
@_config_option
@click.option("--all", "show_all", is_flag=True, help="List every engine voice id, not a sample.")
def voices_command(show_all: bool, **params: Any) -> None:
    """List the voice profiles and the engine voices (ids) each engine offers.

    \b
    Example:
        spacecast voices
        spacecast voices --all | grep en-
    """
    from spacecast.speech.engines import ENGINES
    from spacecast.speech.probe import probe_engine
    from spacecast.speech.profiles import load_voices

    setup = load_voices(_settings(params).briefing.voices_dir)
    click.echo("Voice profiles:")
    for profile in setup.profiles.values():
        click.echo(
            f"  {profile.name:<15} {profile.engine}:{profile.engine_voice}  rate {profile.rate}, "
            f"pitch {profile.pitch}, volume {profile.volume:g}  {profile.description}"
        )
    for name in ENGINES:
        status = probe_engine(name)
        state = "available" if status.available else f"unavailable: {status.detail}"
        click.echo(f"\nEngine {name} ({state})")
        english = [v for v in status.voice_ids if v.split("/")[-1].startswith("en")]
        shown = status.voice_ids if show_all or not english else tuple(english)
        if shown:
            click.echo("  voice ids: " + ", ".join(shown))
        if len(shown) < len(status.voice_ids):
            click.echo(f"  (English ones shown; {len(status.voice_ids)} in all: --all lists them)")
        if name == "pyttsx3" and status.available:
            click.echo(
                "  variants: add +m1..m7, +f1..f5 (and more) to a voice id, e.g. gmw/en-us+f3"
            )


@cli.command("say")
@click.argument("text")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="MP3 or WAV to write."
)
@_setting(
    "run.profile",
    help="The voice profile to speak with, --voice being its old name (default: the first "
    "correspondent).",
)
@_setting("briefing.voices_dir", type=click.Path(path_type=Path, file_okay=False))
@_config_option
@_quiet
def say_command(text: str, output: Path, quiet: bool, **params: Any) -> None:
    """Speak TEXT with one voice profile and the lexicon, to preview how it sounds.

    \b
    Example:
        spacecast say "Kairos lifted off from Wakayama." -o kairos.mp3 --profile anchor
    """
    from spacecast.pipeline import say

    settings = _settings({**params, "run__cache": False})  # a preview is never cached
    seconds = say(text, output, settings)
    Reporter(quiet, False).info(f"Wrote {output} ({seconds:.1f} s)")


@cli.command("doctor")
@_config_option
def doctor_command(config_path: Path | None) -> None:
    """Check the speech engine, eSpeak NG, ffmpeg, the voices, the settings and each source.

    Exits 1 if something needed is missing. Sources on the network are fetched (one story
    each) only when the settings name some.

    \b
    Example:
        spacecast doctor
    """
    from spacecast.audio.ffmpeg import ffmpeg_path, ffmpeg_version
    from spacecast.settings.resolve import require_config
    from spacecast.speech.engines.pyttsx3_espeak import espeak_library
    from spacecast.speech.probe import probe_engine
    from spacecast.speech.profiles import load_voices

    problems = 0

    def line(ok: bool, label: str, detail: str) -> None:
        nonlocal problems
        problems += not ok
        click.echo(f"{'ok ' if ok else 'BAD'}  {label:<16} {detail}")

    click.echo(f"spacecast {__version__}, Python {sys.version.split()[0]}")
    try:
        library, data = espeak_library()
        line(True, "eSpeak NG", f"library {library}")
        line(Path(data).is_dir() or "system" in library, "eSpeak NG data", data)
    except SpacecastError as exc:
        line(False, "eSpeak NG", str(exc))
    status = probe_engine("pyttsx3")
    line(status.available, "engine pyttsx3", status.detail)
    try:
        line(True, "ffmpeg", f"{ffmpeg_path()}")
        line(True, "ffmpeg version", ffmpeg_version())
    except SpacecastError as exc:
        line(False, "ffmpeg", str(exc))
    from spacecast.settings.resolve import resolve_shows

    try:
        settings: Settings | None = _settings({"config_path": config_path})
        shows = resolve_shows(config=config_path)  # the [[shows]] tables checked too
    except SpacecastError as exc:
        line(False, "settings", str(exc))
        settings = None
    if settings is not None:
        if settings.file is None:
            try:
                require_config(config_path)
            except SpacecastError as exc:  # says where it looked
                line(True, "settings", f"built-in defaults ({exc})")
        else:
            line(True, "settings", str(settings.file))
        try:
            setup = load_voices(settings.briefing.voices_dir)
            names = ", ".join(setup.profiles)
            entries = len(setup.lexicons.shared.entries)
            line(True, "voice profiles", f"{names} ({entries} shared lexicon entries)")
        except SpacecastError as exc:
            line(False, "voice profiles", str(exc))
        checked: set[SourceSpec] = set()  # a source two shows read is fetched once
        for show in shows:
            named = f"{show.name}: " if show.name else ""  # a [[shows]] show
            if show.briefing.voices_dir != settings.briefing.voices_dir:
                try:
                    load_voices(show.briefing.voices_dir)
                except SpacecastError as exc:
                    line(False, "voice profiles", named + str(exc))
            ok, label, detail = _output_folder_status(show.output.folder)
            line(ok, label, named + detail)
            for spec, ok, detail in _source_statuses(show, skip=checked):
                line(ok, "source", f"{named}{spec.label}: {detail}")
        _check_clusters(shows, line)
    if problems:
        raise SpacecastError(f"{problems} problem(s) found: see the lines marked BAD above")


def _check_clusters(shows: Sequence[Settings], line: Callable[[bool, str, str], None]) -> None:
    """The Dask cluster of each scheduler the settings name: it answers, has workers that
    run this version, and they reach the speech cache and the show folders."""
    from spacecast.speech.executors import check_cluster, dask_available, scheduler_address

    by_address: dict[str, list[Path]] = {}
    for show in shows:
        address = scheduler_address(show.run.executor)
        if address is not None:
            shared = by_address.setdefault(address, [])
            for path in (show.cache_folder, show.output.folder):
                if path is not None and path not in shared:
                    shared.append(path)
    for address, shared in by_address.items():
        missing = dask_available()
        if missing:
            line(False, "Dask cluster", missing)
            continue
        for ok, detail in check_cluster(address, shared):
            line(ok, "Dask cluster", detail)


def _output_folder_status(folder: Path) -> tuple[bool, str, str]:
    import tempfile

    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        return False, "output folder", f"{folder}: not writable ({exc.strerror})"
    note = "" if folder.is_dir() else " (will be created)"
    return True, "output folder", f"{folder}: writable{note}"


def _source_statuses(
    settings: Settings, skip: set[SourceSpec]
) -> Iterator[tuple[SourceSpec, bool, str]]:
    """Each source of ``settings`` not in ``skip`` (checked, it joins ``skip``): fetched
    once, with whether it gave a story."""
    from spacecast.sources.gather import gather

    for spec in settings.sources:
        if spec in skip:
            continue
        skip.add(spec)
        result = gather([replace(spec, limit=1)], settings.network)
        if result.articles:
            yield spec, True, f"readable ({result.articles[0].label})"
        else:
            reason = result.failures[0].reason if result.failures else "no stories found"
            yield spec, False, reason


def _episodes_folder_option(what: str) -> Callable[[F], F]:
    """``--dir``: the folder of episodes; default the settings' output folder."""
    return _setting("output.folder", help=what, type=click.Path(path_type=Path, file_okay=False))


@cli.command("feed")
@_episodes_folder_option("The folder of episodes.")
@_show_option("Rebuild this show's feed (a [[shows]] name of the settings file).")
@_setting("show.title")
@_setting("show.description")
@_setting("show.base_url")
@_setting("show.author")
@_setting("show.email")
@_setting("show.language")
@_config_option
@_quiet
def feed_command(quiet: bool, **params: Any) -> None:
    """Rebuild feed.xml and index.html from the episodes in a folder.

    Settings come from spacecast.toml when there is one; the options override them.

    \b
    Example:
        spacecast feed --base-url https://example.com/briefings/
        spacecast feed --show space
    """
    from spacecast.publish.feed import write_feed
    from spacecast.publish.page import write_index

    settings = _settings(params)
    folder = settings.output.folder
    if not folder.is_dir():
        raise SpacecastError(f"{folder}: no such folder: build an episode first")
    channel = settings.show.channel
    path = write_feed(folder, channel)
    write_index(folder, channel.title)
    Reporter(quiet, False).info(f"Wrote {path}")


@cli.command("serve")
@_episodes_folder_option("The folder to serve (read-only).")
@_show_option("Serve this show's folder (a [[shows]] name of the settings file).")
@_config_option
@_setting("serve.host")
@_setting("serve.port")
@_setting(
    "show.base_url",
    help="The address devices use for this server: the feed is rewritten for it before "
    "serving, so its links work there",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every request on stderr.")
def serve_command(verbose: bool, **params: Any) -> None:
    """Serve the briefings folder to podcast apps and browsers.

    Only this machine can connect unless --host says otherwise. When the feed's links do not
    lead to this server (another port, or 127.0.0.1 while serving the network), a warning
    gives the command that fixes them.

    \b
    Example:
        spacecast serve                     # http://127.0.0.1:8000/
        spacecast serve --host 0.0.0.0 --base-url http://192.168.1.20:8000/
        spacecast serve --show space
    """
    from spacecast.publish.serve import address_for, feed_base_url, make_server, unreachable_links

    settings = _settings(params)
    # The address the settings give the next episodes' feeds, without the one given here.
    configured = _settings({**params, "show__base_url": None}).show.base_url
    given_folder, config_path = params["output__folder"], params["config_path"]
    folder, host, port = settings.output.folder, settings.serve.host, settings.serve.port
    given_url = settings.origin("show.base_url").kind == "flag"
    wanted = settings.show.base_url if given_url else None
    server = make_server(
        folder, host, port, log=(lambda m: click.echo(m, err=True)) if verbose else None
    )
    bound_host, bound_port = server.server_address[:2]
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"Warning: listening on {host}: every device that can reach this machine can "
            "download the briefings",
            err=True,
        )
    if wanted:
        _rewrite_feed(folder, settings, wanted, configured)
    links = feed_base_url(folder)
    problem = unreachable_links(links, host, bound_port) if links else None
    if problem:
        fix = ["spacecast", "serve"]
        if given_folder is not None:
            fix += ["--dir", str(given_folder)]
        if config_path is not None:
            fix += ["--config", str(config_path)]
        if params["show_name"] is not None:
            fix += ["--show", params["show_name"]]
        fix += ["--host", host, "--port", str(bound_port)]
        fix += ["--base-url", address_for(host, bound_port)]
        click.echo(
            f"Warning: the feed's links point at {problem}: podcast apps will get dead "
            f"links. Run {shlex.join(fix)} instead (and set [show] base_url to that address "
            "for the next episodes)",
            err=True,
        )
    click.echo(f"Serving {folder} at http://{bound_host}:{bound_port}/ (Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _rewrite_feed(folder: Path, settings: Settings, base_url: str, configured: str) -> None:
    """The folder's feed, written again for ``base_url``; a note when the settings would
    write the old address (``configured``) back."""
    from spacecast.publish.feed import write_feed

    if not folder.is_dir():
        return  # make_server has said so already
    path = write_feed(folder, settings.show.channel)
    click.echo(f"Rewrote {path} for {base_url}", err=True)
    if configured != base_url:
        where = settings.file or "spacecast.toml"
        click.echo(
            f'Note: set base_url = "{base_url}" under [show] in {where}, or the next '
            f"episode's feed goes back to {configured}",
            err=True,
        )


def _setup_logging(log_file: Path | None, *, quiet: bool, verbose: bool) -> logging.Logger:
    """Everything to the log file (``None``: none); warnings (or, with -v, everything) to
    stderr, and with -q only the faults cron must see (``FAULT`` records). The lines that
    sum up a run (``daily.OUTCOME``) stay out of stderr: the command prints its own."""
    logger = logging.getLogger("spacecast")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            to_file = _LogFile(log_file, encoding="utf-8")
        except OSError as exc:
            raise SpacecastError(
                f"{log_file}: cannot write the log file ({exc.strerror})"
            ) from None
        to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(to_file)
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setLevel(logging.INFO if verbose and not quiet else logging.WARNING)
    to_stderr.setFormatter(_StderrFormatter())
    to_stderr.addFilter(lambda record: not getattr(record, "outcome", False))
    if quiet:
        to_stderr.addFilter(lambda record: getattr(record, "fault", False))
    logger.addHandler(to_stderr)
    return logger


class _LogFile(logging.FileHandler):
    """The log file; when it cannot be written (a full disk), one warning, and the run
    goes on without it (logging's own report would be a traceback)."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        self.failed = True
        exc = sys.exc_info()[1]
        reason = io_reason(exc) if exc is not None else "unknown error"
        click.echo(
            f"Warning: {self.baseFilename}: cannot write the log ({reason}): going on without it",
            err=True,
        )


FAULT = {"fault": True}
"""``extra`` of the warnings that reach stderr even with -q: a source that failed."""


class _StderrFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        prefix = {"WARNING": "Warning: ", "ERROR": "Error: "}.get(record.levelname, "")
        return prefix + record.getMessage()


@cli.command("daily")
@_config_option
@_show_option("Build only this show of the settings file's [[shows]]. Default: every show.")
@_setting("run.date", help="Build this date's episode")
@click.option("--force", is_flag=True, help="Rebuild even when nothing is new.")
@_setting("briefing.minutes")
@_setting("show.base_url")
@_setting("run.executor")
@_setting("output.cache_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print a summary as JSON on stdout.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Only list the day's events, their articles and scores, and what would be read; "
    "speak and write nothing.",
)
@_quiet
@click.option("-v", "--verbose", is_flag=True, help="Say what is being done.")
def daily_command(
    force: bool,
    as_json: bool,
    dry_run: bool,
    quiet: bool,
    verbose: bool,
    show_name: str | None,
    **params: Any,
) -> None:
    """Gather new stories, build today's episode, publish it and prune old ones.

    The stories are grouped into events: each event is read once, from its best article,
    and the others are credited; events are ranked by how many outlets report them (times
    each source's weight) and how recent they are. An event read on an earlier day is not
    read again; one that develops it is read as an update.

    Made for cron: silent with -q unless something fails (each failed source is a line on
    stderr; every source failing exits 69), one run at a time (a second run exits 75 at
    once), and safe to kill at any moment. It needs a settings file (see --config); with
    none anywhere it exits 78 and says where it looked. With [[shows]] in it, every show is
    built in turn (--show NAME: one), each into its own folder, or, with a Dask executor,
    each on a worker of the cluster; one failing does not stop the others, and the run
    then exits non-zero naming it.

    \b
    Example:
        spacecast init --user && spacecast daily
        spacecast daily --show space-news
        spacecast daily --dry-run      # the day's events, and what would be read
        30 6 * * *  /home/me/spacecast/.venv/bin/spacecast daily -q
    """
    import json

    from spacecast.daily.shows import run_failure, run_shows
    from spacecast.settings.resolve import resolve_shows

    # Never the built-in defaults: in whatever folder cron starts, they would make a stray
    # briefings/ of nothing.
    shows = resolve_shows(
        config=params.get("config_path"), flags=_given(params), require_file=True, only=show_name
    )
    several = shows[0].name is not None  # a file with [[shows]]: every result names its show
    reporter = Reporter(quiet, verbose)
    loggers: dict[Path, logging.Logger] = {}

    def log_into(settings: Settings) -> None:
        """Each show logs into its own folder's log (or the one [output] log_file)."""
        if settings.log_path not in loggers:
            loggers.clear()
            # A dry run writes nothing, not even the log.
            loggers[settings.log_path] = _setup_logging(
                None if dry_run else settings.log_path, quiet=quiet, verbose=verbose
            )

    def logger() -> logging.Logger:
        return next(iter(loggers.values()))

    log_into(shows[0])
    try:
        results = run_shows(
            shows,
            force=force,
            warn=lambda message: logger().warning(message),
            on_progress=reporter.progress,
            source_failed=lambda message: logger().warning(message, extra=FAULT),
            before_show=log_into,
            dry_run=dry_run,
        )
    except SpacecastError as exc:
        _log_to_file_only(logger(), exc)
        raise
    reporter.clear()
    if as_json:
        summaries = [_daily_summary(result, counts=several) for result in results]
        if several:
            out: dict[str, Any] = {"date": results[0].date.isoformat(), "shows": summaries}
        else:
            out = summaries[0]
        click.echo(json.dumps(out, ensure_ascii=False))
    for settings, result in zip(shows, results, strict=True):
        if result.failed:
            continue
        prefix = f"{result.name}: " if several else ""
        briefing = settings.briefing
        if result.status == "dry-run":
            if not as_json:
                click.echo(_dry_run_listing(result, briefing.max_stories, prefix), nl=False)
            continue
        if not as_json:
            reporter.info(prefix + _outcome(result, briefing))
        if result.status in ("published", "up-to-date"):
            _report_left_out_stories(
                reporter, result.left_out, len(result.stories), briefing.minutes,
                briefing.max_stories, prefix=prefix,
            )  # fmt: skip
    failure = run_failure(results)
    if failure is not None:
        raise failure


def _daily_summary(result: ShowResult, *, counts: bool) -> dict[str, Any]:
    """One show's part of ``daily --json`` (``counts``: with its name, the takes
    synthesized and from the cache, and why it failed)."""
    summary: dict[str, Any] = {"name": result.name} if counts else {}
    summary |= {
        "status": result.status,
        "date": result.date.isoformat(),
        "episode": str(result.episode) if result.episode else None,
        "duration": round(result.duration, 1) if result.duration is not None else None,
        "stories": list(result.stories),
        "left_out": [
            {"title": s.title, "source": s.source, "roundup": s.roundup, "reason": s.reason}
            for s in result.left_out
        ],
        "failed_sources": [{"source": f.source, "reason": f.reason} for f in result.failures],
        "pruned": list(result.pruned),
        "events": [_event_summary(planned) for planned in result.events],
    }
    if counts:
        summary |= {
            "synthesized": result.synthesized,
            "cached": result.cached,
            "error": result.error,
        }
    return summary


def _event_summary(planned: PlannedEvent) -> dict[str, Any]:
    """An event of a daily run, for ``--json``."""
    event = planned.event
    return {
        "title": event.lead.label,
        "outcome": planned.outcome,
        "score": round(event.score, 3),
        "outlets": list(event.outlets),
        "update_of": event.follows.label if event.follows is not None else None,
        "articles": [_article_summary(a) for a in event.articles],
        "read_before": [_article_summary(a) for a in event.read_before],
    }


def _article_summary(article: Article) -> dict[str, Any]:
    """An article of an event: its outlet, title and link (else its path)."""
    from dataclasses import asdict

    from spacecast.text.events import credit_of

    return asdict(credit_of(article))


_DRY_RUN_OUTCOMES = {
    "read": "would be read",
    "update": "would be read as an update",
    "repeat": "read on an earlier day: not again",
    "max_stories": "left out: beyond max_stories",
}


def _dry_run_listing(result: ShowResult, max_stories: int, prefix: str = "") -> str:
    """What ``daily --dry-run`` prints: every event, best first, with its articles."""
    day = result.date.isoformat()
    if not result.events:
        return f"{prefix}No new stories for {day} (dry run: nothing spoken or written)\n"
    lines = [
        f"{prefix}Events for {day}, best first (dry run: nothing spoken or written; the length may "
        f"leave out some of the first {max_stories}):"
    ]
    for number, planned in enumerate(result.events, start=1):
        event = planned.event
        outcome = _DRY_RUN_OUTCOMES.get(planned.outcome, planned.outcome)
        outlets = len(event.outlets)
        lines.append(
            f"{number:2d}. {event.lead.label} (score {event.score:.2f}, {outlets} "
            f"outlet{'' if outlets == 1 else 's'}): {outcome}"
        )
        if event.follows is not None:
            lines.append(f"      an update on: {event.follows.label}")
        for index, article in enumerate(event.articles):
            role = "read" if index == 0 and planned.outcome != "repeat" else "also"
            lines.append(f"      {role}: {_article_line(article)}")
        for article in event.read_before:
            lines.append(f"      read before: {_article_line(article)}")
    return "\n".join(lines) + "\n"


def _article_line(article: Article) -> str:
    """``Outlet: Title <link>``, as the dry run lists an event's articles."""
    found = _article_summary(article)
    return f"{found['outlet']}: {found['title']} <{found['url']}>"


def _outcome(result: ShowResult, briefing: Briefing) -> str:
    """The line that sums up a daily run that made, kept or needed no episode."""
    if result.status == "published":
        assert result.duration is not None  # a published episode has its length
        length = _length(result.duration, briefing.minutes, result.left_out, briefing.max_stories)
        return f"Published {result.episode} ({length}, {stories_count(len(result.stories))})"
    if result.status == "up-to-date":
        return f"Nothing new: {result.episode} is up to date"
    when = "today" if result.date == dt.date.today() else f"for {result.date.isoformat()}"
    return f"No new stories: no episode {when}"


def _log_to_file_only(logger: logging.Logger, exc: Exception) -> None:
    # The CLI prints the error line on stderr itself; the log file gets it too.
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler):
            handler.emit(logger.makeRecord(logger.name, logging.ERROR, "", 0, str(exc), (), None))


@cli.command("init")
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write spacecast.toml. Default: the current folder.",
)
@click.option(
    "--user",
    is_flag=True,
    help="Write it to the user config folder (~/.config/spacecast/ on Linux), where every "
    "command finds it from any folder (cron too); its folders are then written as absolute "
    "paths in the current folder.",
)
def init_command(folder: Path | None, user: bool) -> None:
    """Write a commented starter spacecast.toml that works as written.

    \b
    Example:
        spacecast init && spacecast daily
        spacecast init --user          # for cron: found from any folder
    """
    from spacecast.settings.resolve import user_config_path
    from spacecast.settings.starter import write_starter_config

    if user and folder is not None:
        raise click.UsageError("give --dir or --user, not both")
    if user:
        path = write_starter_config(user_config_path().parent, folders_in=Path.cwd())
    else:
        path = write_starter_config(folder or Path("."))
    click.echo(f"Wrote {path}: edit the show and the sources, then run spacecast daily", err=True)
