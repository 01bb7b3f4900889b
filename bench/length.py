"""How close spacecast's briefings come to ``--minutes``, with few and with many stories.

    python bench/length.py [--minutes 1 2 5 20 60] [--articles 12 50 100] [--keep DIR] [--json]

For each number of articles it writes that many generated news-like articles
(``bench/textgen.py``, fixed seed, 300-500 words each), then for each length it runs a real
``spacecast build ARTICLES --minutes M`` (eSpeak NG, the real MP3 encoder; one shared speech
cache, so a take already spoken for another case is reused) and reads back:

- the MP3's length (mutagen, from the Info header), against the target: the promise is
  within 5 %, unless the articles run out (every story read in full, said on stderr);
- from the episode's sidecar: how many stories were read, how many left out, and how many
  of those the round-up named;
- the build's wall time.

It is a benchmark, not a test: it takes several minutes (the 60-minute builds dominate).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import textgen  # beside this file

DATE = "2026-11-26"
PROMISE = 0.05


@dataclass(frozen=True)
class Case:
    articles: int
    minutes: float
    seconds: float
    """The MP3's length."""
    read: int
    left_out: int
    roundup: int
    ran_out: bool
    """The articles ran out before the target: every story read in full."""
    wall: float
    left_out_line: str

    @property
    def off(self) -> float:
        return self.seconds / (self.minutes * 60) - 1

    @property
    def ok(self) -> bool:
        return abs(self.off) <= PROMISE or (self.ran_out and self.off < 0)


def spacecast_exe() -> str:
    return str(Path(sys.executable).parent / "spacecast")


def build(articles: Path, count: int, minutes: float, out_dir: Path, cache: Path) -> Case:
    from mutagen.mp3 import MP3

    out = out_dir / f"a{count}-m{minutes:g}.mp3"
    cmd = [spacecast_exe(), "build", str(articles), "--minutes", f"{minutes:g}", "-o", str(out)]
    cmd += ["--cache-dir", str(cache), "--date", DATE]
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({' '.join(cmd)}):\n{proc.stderr}")
    record = json.loads(out.with_name(out.stem + ".episode.json").read_text(encoding="utf-8"))
    left_out = record.get("left_out", [])
    line = next((x for x in proc.stderr.splitlines() if x.startswith("Left out")), "")
    return Case(
        articles=count,
        minutes=minutes,
        seconds=MP3(out).info.length,
        read=len(record["stories"]),
        left_out=len(left_out),
        roundup=sum(1 for s in left_out if s["roundup"]),
        ran_out="every story is read in full" in proc.stderr,
        wall=wall,
        left_out_line=line,
    )


def clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def table(cases: list[Case]) -> str:
    rows = [
        "| articles | --minutes | MP3 length | off | read | round-up | left out unsaid | build s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cases:
        note = " (articles ran out)" if c.ran_out else ""
        rows.append(
            f"| {c.articles} | {c.minutes:g} | {clock(c.seconds)} | {c.off * 100:+.1f} %{note} "
            f"| {c.read} | {c.roundup} | {c.left_out - c.roundup} | {c.wall:.1f} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[1, 2, 5, 20, 60])
    parser.add_argument("--articles", type=int, nargs="+", default=[12, 50, 100])
    parser.add_argument("--keep", type=Path, help="keep the articles and MP3s in this folder")
    parser.add_argument("--json", action="store_true", help="print the cases as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="spacecast-length-") as scratch:
        root = args.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        cache = root / "cache"
        cases = []
        for count in args.articles:
            articles = root / f"articles-{count}"
            textgen.write_articles(articles, count=count)
            for minutes in args.minutes:
                case = build(articles, count, minutes, root, cache)
                print(
                    f"[{count} articles, {minutes:g} min] {clock(case.seconds)} "
                    f"({case.off * 100:+.1f} %), {case.read} read, {case.left_out} left out "
                    f"({case.roundup} in the round-up), {case.wall:.1f} s",
                    file=sys.stderr,
                )
                cases.append(case)
    if args.json:
        print(json.dumps([{**asdict(c), "off": c.off, "ok": c.ok} for c in cases], indent=2))
    else:
        print(table(cases))
        missed = [c for c in cases if not c.ok]
        print(f"\n{len(cases) - len(missed)} of {len(cases)} within ±{PROMISE:.0%}", end="")
        print(" (or every story read in full)." if any(c.ran_out for c in cases) else ".")
    if any(not c.ok for c in cases):
        sys.exit(1)


if __name__ == "__main__":
    main()
