"""How well spacecast groups articles into events, and how fast.

    python bench/events.py [--sweep] [--json]

On the labelled set in ``bench/events/`` (120 articles, 42 events, written for spacecast):
pairwise precision, recall and F1 of ``spacecast.text.events.group``, the same over the
hard-negative pairs (how many of their article pairs were merged), how well the updates
(``follows``) are linked to the event they develop (``event_links``), and the time to group
1,000 articles. The 1,000 are made from the set itself: each article is copied with its
events moved to new weeks (so the copies are new events, not bigger ones) and a tenth of the
words of its lead dropped, so no two are the same text. ``--sweep`` prints F1 over a grid of
the parameters around the defaults.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
import time
from pathlib import Path

from spacecast.text.condense import content_words
from spacecast.text.events import (
    FOLLOW_THRESHOLD,
    LEAD_WORDS,
    THRESHOLD,
    WINDOW_HOURS,
    Report,
    event_links,
    group,
)

HERE = Path(__file__).parent / "events"


def load() -> list[dict]:
    with open(HERE / "articles.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def when(item: dict) -> float:
    return dt.datetime.fromisoformat(item["published"].replace("Z", "+00:00")).timestamp()


def reports(items: list[dict]) -> list[Report]:
    return [Report(i["title"], i["text"], when(i), i["outlet"]) for i in items]


def pairwise(items: list[dict], groups: list[tuple[int, ...]]) -> dict[str, float]:
    """Pairwise precision, recall and F1, and the hard-negative pairs merged."""
    label = {i: g for g, members in enumerate(groups) for i in members}
    hard = set()
    with open(HERE / "hard_negatives.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                hard.add(frozenset(json.loads(line)["events"]))
    tp = fp = fn = hard_pairs = hard_merged = 0
    for i, j in itertools.combinations(range(len(items)), 2):
        same = items[i]["event"] == items[j]["event"]
        together = label[i] == label[j]
        tp += same and together
        fp += together and not same
        fn += same and not together
        if frozenset((items[i]["event"], items[j]["event"])) in hard:
            hard_pairs += 1
            hard_merged += together
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_pairs": fp,
        "missed_pairs": fn,
        "hard_pairs": hard_pairs,
        "hard_merged": hard_merged,
        "events": len(groups),
    }


def false_merges(items: list[dict], groups: list[tuple[int, ...]]) -> list[str]:
    """The events merged with another: ``e11+e12 (4 pairs)``."""
    out: dict[str, int] = {}
    for members in groups:
        events = sorted({items[i]["event"] for i in members})
        if len(events) > 1:
            counts = [sum(items[i]["event"] == e for i in members) for e in events]
            pairs = sum(a * b for a, b in itertools.combinations(counts, 2))
            out["+".join(events)] = pairs
    return [f"{k} ({v} pairs)" for k, v in out.items()]


def links(items: list[dict], groups: list[tuple[int, ...]]) -> dict[str, object]:
    """The update links ``event_links`` finds between ``groups``, scored against ``follows``:
    a link is right when the later group's main event follows the earlier group's."""
    main = [
        max({items[i]["event"] for i in g}, key=lambda e: sum(items[i]["event"] == e for i in g))
        for g in groups
    ]
    follows = {i["event"]: i["follows"] for i in items if i.get("follows")}
    found = event_links(reports(items), groups)
    right = sum(follows.get(main[g]) == main[e] for g, e in found.items())
    wrong = [f"{main[g]}<-{main[e]}" for g, e in found.items() if follows.get(main[g]) != main[e]]
    linked = {main[g] for g, e in found.items() if follows.get(main[g]) == main[e]}
    return {
        "links": len(found),
        "right": right,
        "follows": len(follows),
        "wrong": wrong,
        "missed": sorted(set(follows) - linked),
    }


def new_words(items: list[dict]) -> dict[str, list[int]]:
    """The rule not taken for updates, measured: how many content words (and numbers) of a
    report's headline and first 60 words no earlier report used. ``versions``: each later
    report of an event against the event's first; ``followups``: each report of an event
    that follows another against every report of that other."""
    by_event: dict[str, list[dict]] = {}
    for item in sorted(items, key=when):
        by_event.setdefault(item["event"], []).append(item)

    def fresh(item: dict, read: list[dict]) -> tuple[int, int]:
        known = {w for r in read for w in content_words(f"{r['title']}\n{r['text']}")}
        lead = f"{item['title']}\n{' '.join(item['text'].split()[:60])}"
        words = {w for w in content_words(lead) if w not in known}
        return len(words), sum(w[0].isdigit() for w in words)

    versions = [fresh(m, ms[:1]) for ms in by_event.values() for m in ms[1:]]
    followups = [
        fresh(m, by_event[ms[0]["follows"]])
        for ms in by_event.values()
        if ms[0].get("follows")
        for m in ms
    ]
    return {
        "versions_words": sorted(n for n, _ in versions),
        "versions_numbers": sorted(d for _, d in versions),
        "followups_words": sorted(n for n, _ in followups),
        "followups_numbers": sorted(d for _, d in followups),
    }


def thousand(items: list[dict], count: int = 1000, seed: int = 15) -> list[Report]:
    """``count`` articles made from the set: copies whose events are moved by whole weeks
    (a copy is a new event), each with a tenth of its lead's words dropped."""
    rng = random.Random(seed)
    out = []
    week = 7 * 24 * 3600
    for n in range(count):
        item = items[n % len(items)]
        shift = (n // len(items)) * week * 2
        words = item["text"].split()
        kept = [w for k, w in enumerate(words) if k >= 60 or rng.random() > 0.1]
        out.append(Report(item["title"], " ".join(kept), when(item) + shift, item["outlet"]))
    return out


def timing(items: list[dict], repeat: int = 5) -> tuple[float, float]:
    """The median wall and CPU seconds to group the 1,000 articles (CPU time is what the
    grouping costs when other jobs share the machine)."""
    big = thousand(items)
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        group(big)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2]


def sweep(items: list[dict]) -> None:
    print("outlets threshold window lead    P      R      F1")
    for known in (True, False):
        base = reports(items)
        if not known:
            base = [Report(r.title, r.text, r.when) for r in base]
        _sweep(items, base, known)


def _sweep(items: list[dict], base: list[Report], known: bool) -> None:
    for threshold in (0.06, 0.08, 0.10, 0.12, 0.15, 0.20, 0.25):
        for window in (24.0, 36.0, 48.0):
            for lead in (25, 40, 60, 100):
                g = group(base, threshold=threshold, window_hours=window, lead_words=lead)
                s = pairwise(items, g)
                print(
                    f"{known!s:>7} {threshold:9.2f} {window:6.0f} {lead:4d}"
                    f"  {s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sweep", action="store_true", help="F1 over a grid of parameters")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    items = load()
    if args.sweep:
        sweep(items)
        return 0
    base = reports(items)
    g = group(base)
    labelled: dict[str, list[int]] = {}
    for k, item in enumerate(items):
        labelled.setdefault(item["event"], []).append(k)
    rows = {"spacecast": {**pairwise(items, g), "merged": false_merges(items, g)}}
    # The outlet rule (one report per outlet in an event) holds in this set; what it costs
    # and gives: without outlets, and with outlets drawn at random (so that an outlet may
    # report an event twice, which the rule then splits).
    anonymous = [Report(r.title, r.text, r.when) for r in base]
    plain = group(anonymous)
    rows["without outlets"] = {**pairwise(items, plain), "merged": false_merges(items, plain)}
    outlets = sorted({i["outlet"] for i in items})
    rng = random.Random(15)
    shuffled = [Report(r.title, r.text, r.when, rng.choice(outlets)) for r in base]
    mixed = group(shuffled)
    rows["outlets at random"] = {**pairwise(items, mixed), "merged": false_merges(items, mixed)}
    result = {
        "parameters": {
            "threshold": THRESHOLD,
            "window_hours": WINDOW_HOURS,
            "lead_words": LEAD_WORDS,
            "follow_threshold": FOLLOW_THRESHOLD,
        },
        "grouping": rows,
        "updates": {
            "on the labelled events": links(items, [tuple(m) for m in labelled.values()]),
            "on spacecast's events": links(items, g),
        },
        "new_words": new_words(items),
        "seconds_for_1000": dict(zip(("wall", "cpu"), timing(items), strict=True)),
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return 0
    print(f"{len(items)} articles; parameters: {result['parameters']}")
    print("| grouping | precision | recall | F1 | false pairs | missed pairs | hard-negative "
          "pairs merged | events |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for name, s in rows.items():
        print(
            f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
            f"{s['false_pairs']} | {s['missed_pairs']} | {s['hard_merged']} of "
            f"{s['hard_pairs']} | {s['events']} |"
        )
    for name, s in rows.items():
        print(f"{name}: merged {', '.join(s['merged']) or 'nothing'}")
    print("| update links | found | right | of follows | wrong | missed |")
    print("|---|---|---|---|---|---|")
    for name, u in result["updates"].items():
        print(
            f"| {name} | {u['links']} | {u['right']} | {u['follows']} | "
            f"{', '.join(u['wrong']) or '-'} | {', '.join(u['missed']) or '-'} |"
        )
    for name, counts in result["new_words"].items():
        middle = counts[len(counts) // 2]
        print(f"new {name}: {counts[0]} to {counts[-1]}, median {middle} ({len(counts)} reports)")
    took = result["seconds_for_1000"]
    print(
        f"1,000 articles grouped in {took['wall'] * 1000:.0f} ms wall, "
        f"{took['cpu'] * 1000:.0f} ms CPU (medians of 5)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
