"""Pronunciation lexicons: how particular words (names) are said.

A `Lexicon` (loaded from TOML) is applied after ``text.speakable``, at synthesis time, to fix
how particular words sound: respellings, or eSpeak phoneme strings in ``[[...]]``. The
script and the transcripts keep the real spelling. A `LexiconSet` holds the shared lexicon
(``voices/lexicon.toml``) and each voice's own (``voices/<profile>.lexicon.toml``);
`LexiconSet.for_voice` merges them, the voice's entries winning.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from spacecast.errors import ConfigError, unknown_name_message


@dataclass(frozen=True)
class Lexicon:
    """Word -> replacement, applied to speakable text just before synthesis.

    Matching is whole-word (a possessive "'s" may follow). A key with any capital letter
    matches that exact case; an all-lowercase key matches any case. Longer keys win, and a
    key may span several words ("Space One"). Replacements are inserted verbatim, including
    eSpeak phoneme strings such as ``[[wakaj'A:m@]]``.
    """

    entries: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cleaned = {key.strip(): value for key, value in self.entries.items()}
        if "" in cleaned:
            raise ValueError("lexicon keys must not be empty")
        if not all(isinstance(value, str) for value in cleaned.values()):
            raise TypeError("lexicon replacements must be strings")
        # read-only copy: the compiled pattern below must not go stale
        object.__setattr__(self, "entries", MappingProxyType(cleaned))

    @cached_property
    def _pattern(self) -> tuple[re.Pattern[str], tuple[str, ...]] | None:
        if not self.entries:
            return None
        keys = sorted(self.entries, key=lambda k: (-len(k), k.islower()))  # exact case first
        branches = []
        for key in keys:
            body = r"\s+".join(re.escape(word) for word in key.split())
            branches.append(f"((?i:{body}))" if key.islower() else f"({body})")
        # group i + 1 is key i: the escaped keys hold no groups of their own
        pattern = re.compile(rf"(?<!\w)(?:{'|'.join(branches)})(?!\w)")
        return pattern, tuple(self.entries[key] for key in keys)

    def apply(self, text: str) -> str:
        """Replace every lexicon word in ``text`` with its respelling, in one pass."""
        if self._pattern is None:
            return text
        pattern, replacements = self._pattern

        def replace(m: re.Match[str]) -> str:
            return replacements[m.lastindex - 1] if m.lastindex else m.group()

        return pattern.sub(replace, text)

    def __hash__(self) -> int:
        return hash(frozenset(self.entries.items()))

    def merged(self, other: Lexicon) -> Lexicon:
        """A lexicon with both sets of entries; ``other`` wins where the keys are equal."""
        return Lexicon({**self.entries, **other.entries})


_TOML_LOCATION = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")


def load_lexicon(path: Path) -> Lexicon:
    """Read a lexicon TOML file: a ``[words]`` table of ``word = "replacement"`` strings.

    Raises `ConfigError` with a one-line message naming the file when it cannot be read or
    is not a valid lexicon.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the lexicon ({exc.strerror or exc}) — check the path"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text — save the lexicon as UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        message = str(exc).splitlines()[0]
        line = _TOML_LOCATION.search(message)
        where = f"line {line.group(1)}: " if line and line.group(1) else ""
        reason = _TOML_LOCATION.sub("", message)
        raise ConfigError(f"{path}: {where}{reason} — fix the TOML syntax") from exc

    for key, value in data.items():
        if key == "words":
            continue
        if isinstance(value, dict):
            raise ConfigError(f"{path}: unknown table [{key}] — a lexicon has only [words]")
        raise ConfigError(f"{path}: '{key}' is outside the [words] table — move it under [words]")
    words = data.get("words")
    if not isinstance(words, dict):
        raise ConfigError(f"{path}: no [words] table — put the entries under a [words] heading")
    for key, value in words.items():
        if not isinstance(value, str):
            raise ConfigError(
                f"{path}: [words] '{key}' is not a string — write it as {key} = \"respelling\""
            )
        if not key.strip() or not value.strip():
            raise ConfigError(f"{path}: [words] '{key}' is empty — give a word and a respelling")
        if value.count("[[") != value.count("]]"):
            raise ConfigError(
                f"{path}: [words] '{key}' has unbalanced [[ ]] — close the phoneme string"
            )
    return Lexicon(words)


_VOICE_LEXICON_SUFFIX = ".lexicon.toml"


@dataclass(frozen=True)
class LexiconSet:
    """The shared lexicon and each voice's own, by voice profile name."""

    shared: Lexicon = field(default_factory=Lexicon)
    per_voice: Mapping[str, Lexicon] = field(default_factory=dict)
    _merged: dict[str, Lexicon] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_voice", MappingProxyType(dict(self.per_voice)))

    def for_voice(self, name: str) -> Lexicon:
        """The shared entries merged with voice ``name``'s own; the voice's win. A voice
        without a lexicon of its own gets the shared one."""
        own = self.per_voice.get(name)
        if own is None:
            return self.shared
        if name not in self._merged:  # merged once: each Lexicon compiles its pattern once
            self._merged[name] = self.shared.merged(own)
        return self._merged[name]

    def __hash__(self) -> int:
        return hash((self.shared, frozenset(self.per_voice.items())))


def load_lexicons(voices_dir: Path, known_voices: Collection[str] | None = None) -> LexiconSet:
    """Read ``voices_dir/lexicon.toml`` (shared) and every ``voices_dir/<profile>.lexicon.toml``
    (that voice's own). Any of them may be missing, and so may the folder.

    With ``known_voices``, a voice lexicon for a profile not in it is an error (a misnamed
    file would otherwise be ignored). Raises `ConfigError` naming the file at fault.
    """
    shared_path = voices_dir / "lexicon.toml"
    shared = load_lexicon(shared_path) if shared_path.is_file() else Lexicon()
    per_voice: dict[str, Lexicon] = {}
    for path in sorted(voices_dir.glob(f"*{_VOICE_LEXICON_SUFFIX}")):
        name = path.name.removesuffix(_VOICE_LEXICON_SUFFIX)
        if not name:
            raise ConfigError(
                f"{path}: no profile name — call a profile's lexicon "
                f"<profile>{_VOICE_LEXICON_SUFFIX}"
            )
        if known_voices is not None and name not in known_voices:
            unknown = unknown_name_message("voice profile", name, sorted(known_voices))
            raise ConfigError(
                f"{path}: {unknown} — name the file after a voice profile, "
                f"<profile>{_VOICE_LEXICON_SUFFIX}"
            )
        per_voice[name] = load_lexicon(path)
    return LexiconSet(shared, per_voice)
