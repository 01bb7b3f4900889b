"""Check the labelled event set (articles.jsonl, hard_negatives.jsonl) and print its counts.

Usage: python bench/events/check.py [FOLDER]

Standard library only. Exits 1 with one line per problem if the files break a rule below,
so a mistake made while adding articles is caught before the grouping is measured on them.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

REQUIRED = ("id", "event", "outlet", "published", "url", "title", "text")
OPTIONAL = ("follows",)
EVENT_ID = re.compile(r"^e\d{2}$")
ARTICLE_ID = re.compile(r"^(e\d{2})-[a-z]$")
# Full articles run 120-350 words; a brief (a radio bulletin, a two-line wire) may be shorter.
MIN_WORDS, FULL_WORDS, MAX_WORDS = 30, 120, 350
# Versions of one event appear within this window of its first article; a later
# development is a new event that "follows" the first.
SAME_EVENT_WINDOW = timedelta(hours=36)
FIRST_DAY, LAST_DAY = (
    datetime.fromisoformat("2026-11-01T00:00:00Z"),
    datetime.fromisoformat("2026-11-11T00:00:00Z"),
)


def load_jsonl(path: Path, errors: list[str]) -> list[dict[str, Any]]:
    """Read one JSON object per line; report lines that are not objects."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            errors.append(f"{path.name}:{number}: empty line")
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{path.name}:{number}: not JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            errors.append(f"{path.name}:{number}: not a JSON object")
            continue
        row["_line"] = number
        rows.append(row)
    return rows


def check_article(row: dict[str, Any], errors: list[str]) -> None:
    """Check the fields of one article on their own."""
    where = f"articles.jsonl:{row['_line']}"
    for field in REQUIRED:
        if not isinstance(row.get(field), str) or not row[field].strip():
            errors.append(f"{where}: field {field!r} missing or not a non-empty string")
    unknown = set(row) - set(REQUIRED) - set(OPTIONAL) - {"_line"}
    if unknown:
        errors.append(f"{where}: unknown fields {sorted(unknown)}")
    if any(not isinstance(row.get(field), str) for field in REQUIRED):
        return
    match = ARTICLE_ID.match(row["id"])
    if not match or match.group(1) != row["event"]:
        errors.append(f"{where}: id {row['id']!r} should be '<event>-<letter>' of {row['event']!r}")
    if not EVENT_ID.match(row["event"]):
        errors.append(f"{where}: event {row['event']!r} should look like 'e07'")
    if "follows" in row and (
        not isinstance(row["follows"], str) or not EVENT_ID.match(row["follows"])
    ):
        errors.append(f"{where}: follows {row['follows']!r} should be an event id like 'e07'")
    if not row["published"].endswith("Z"):
        errors.append(f"{where}: published {row['published']!r} should be UTC ('...Z')")
    try:
        published = datetime.fromisoformat(row["published"])
    except ValueError:
        errors.append(f"{where}: published {row['published']!r} is not an ISO 8601 date-time")
    else:
        if published.tzinfo is None:
            errors.append(f"{where}: published {row['published']!r} has no time zone")
        elif not FIRST_DAY <= published < LAST_DAY:
            errors.append(f"{where}: published {row['published']!r} is outside 1-10 Nov 2026")
        row["_published"] = published
    url = urlparse(row["url"])
    if url.scheme != "https" or not (url.hostname or "").endswith(".example"):
        errors.append(f"{where}: url {row['url']!r} should be https on an .example domain")
    title = row["title"]
    if title != title.strip() or "\n" in title or len(title) > 120 or title.endswith("."):
        errors.append(f"{where}: title should be one headline line, no final full stop")
    paragraphs = row["text"].split("\n\n")
    if any(not p.strip() or p != p.strip() or "\n" in p for p in paragraphs):
        errors.append(f"{where}: text paragraphs should be separated by exactly one blank line")
    words = len(row["text"].split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        errors.append(f"{where}: text has {words} words, expected {MIN_WORDS}-{MAX_WORDS}")


def check_set(
    articles: list[dict[str, Any]], negatives: list[dict[str, Any]], errors: list[str]
) -> dict[str, int]:
    """Check the rules that span articles and events; return the counts."""
    ids = Counter(a["id"] for a in articles)
    errors += [f"articles.jsonl: id {i!r} used {n} times" for i, n in ids.items() if n > 1]
    urls = Counter(a["url"] for a in articles)
    errors += [f"articles.jsonl: url {u!r} used {n} times" for u, n in urls.items() if n > 1]

    hosts: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        hosts[a["outlet"]].add(urlparse(a["url"]).hostname or "")
    for outlet, names in sorted(hosts.items()):
        if len(names) > 1:
            errors.append(f"articles.jsonl: outlet {outlet!r} uses several domains {sorted(names)}")

    # Only articles that passed check_article come here, so each has "_published".
    events = group_by_event(articles)
    starts = {e: min(a["_published"] for a in rows) for e, rows in events.items()}
    follows: dict[str, str] = {}
    for event, rows in sorted(events.items()):
        outlets = Counter(a["outlet"] for a in rows)
        for outlet, n in outlets.items():
            if n > 1:
                errors.append(f"event {event}: {n} articles from {outlet!r}, expected one")
        late = [a["id"] for a in rows if a["_published"] - starts[event] > SAME_EVENT_WINDOW]
        if late:
            errors.append(f"event {event}: {late} published over 36 h after its first article")
        targets = {a.get("follows") for a in rows}
        if len(targets) > 1:
            named = sorted(map(str, targets))
            errors.append(f"event {event}: its articles disagree on 'follows' {named}")
            continue
        target = targets.pop()
        if target is None:
            continue
        if target == event or target not in events:
            errors.append(f"event {event}: follows {target!r}, which is not another event here")
        elif starts[target] >= starts[event]:
            errors.append(f"event {event}: follows {target}, which is not earlier")
        else:
            follows[event] = target

    seen: set[tuple[str, str]] = set()
    hard_article_pairs = 0
    for row in negatives:
        where = f"hard_negatives.jsonl:{row['_line']}"
        pair = row.get("events")
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(e, str) for e in pair)
        ):
            errors.append(f"{where}: 'events' should be a list of two event ids")
            continue
        if not isinstance(row.get("why"), str) or not row["why"].strip():
            errors.append(f"{where}: 'why' should say what the two events share")
        first, second = pair
        if first == second or first not in events or second not in events:
            errors.append(f"{where}: {pair} should name two different events of articles.jsonl")
            continue
        key = (min(pair), max(pair))
        if key in seen:
            errors.append(f"{where}: pair {pair} listed twice")
            continue
        if follows.get(first) == second or follows.get(second) == first:
            errors.append(f"{where}: {pair} are linked by 'follows'; list only unlinked events")
        seen.add(key)
        hard_article_pairs += len(events[first]) * len(events[second])

    sizes = [len(rows) for rows in events.values()]
    words = [len(a["text"].split()) for a in articles]
    return {
        "events": len(events),
        "articles": len(articles),
        "outlets": len(hosts),
        "singleton events": sizes.count(1),
        "largest event (articles)": max(sizes, default=0),
        "same-event article pairs": sum(n * (n - 1) // 2 for n in sizes),
        "different-event article pairs": len(articles) * (len(articles) - 1) // 2
        - sum(n * (n - 1) // 2 for n in sizes),
        "follow-up events (follows)": len(follows),
        "follow-up article pairs": sum(len(events[e]) * len(events[t]) for e, t in follows.items()),
        "hard-negative event pairs": len(seen),
        "hard-negative article pairs": hard_article_pairs,
        "briefs (under 120 words)": sum(1 for w in words if w < FULL_WORDS),
        "shortest text (words)": min(words, default=0),
        "longest text (words)": max(words, default=0),
    }


def main(argv: list[str]) -> int:
    """Check the folder given (default: this script's folder) and print the counts."""
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    if not (folder / "articles.jsonl").is_file():
        print(
            f"{folder / 'articles.jsonl'}: not found; give the folder that holds it",
            file=sys.stderr,
        )
        return 1
    errors: list[str] = []
    articles = load_jsonl(folder / "articles.jsonl", errors)
    valid = []
    for row in articles:
        before = len(errors)
        check_article(row, errors)
        if len(errors) == before:
            valid.append(row)
    negatives_path = folder / "hard_negatives.jsonl"
    negatives = load_jsonl(negatives_path, errors) if negatives_path.exists() else []
    # The rules across articles are checked on the articles that passed on their own, so one
    # run reports every kind of problem.
    counts = check_set(valid, negatives, errors)
    for line in errors:
        print(line, file=sys.stderr)
    if errors:
        print(f"{len(errors)} problem(s) in {folder}", file=sys.stderr)
        return 1
    width = max(map(len, counts))
    for name, value in counts.items():
        print(f"{name:<{width}}  {value:>5}")
    per_outlet = Counter(a["outlet"] for a in articles)
    print("\narticles per outlet:")
    for outlet, n in per_outlet.most_common():
        print(f"  {outlet:<{width - 2}}  {n:>5}")
    sizes = Counter(len(rows) for rows in group_by_event(articles).values())
    print("\nevents by number of outlets: " + ", ".join(f"{k}: {sizes[k]}" for k in sorted(sizes)))
    return 0


def group_by_event(articles: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Articles keyed by their event label."""
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in articles:
        events[a["event"]].append(a)
    return events


if __name__ == "__main__":
    sys.exit(main(sys.argv))
