"""Build an unseen CNN/DailyMail set from the FRANK benchmark, for bench/evaluate.py.

    git clone https://github.com/artidoro/frank && git -C frank checkout 5860706
    python bench/unseen_cnndm.py frank ../shared/eval/cnndm-dev.jsonl -o /tmp/cnndm-unseen.jsonl
    python bench/evaluate.py /tmp/cnndm-unseen.jsonl

FRANK (Pagnoni et al. 2021) holds 250 CNN/DailyMail test articles with their highlights
(``data/articles-wbertscore-json/*.json`` at commit 5860706; ``article`` and
``bart_reference``, the highlights tokenised, one ``.`` between them). The development set
is 100 of them; this writes the other 150, in the development set's format, to a file of your
choosing outside the repository: the articles are their outlets' and are never copied here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

COMMIT = "5860706bda0641136d10d27ead52c5f6ae79630e"
FOLDER = "data/articles-wbertscore-json"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("frank", type=Path, help="a clone of github.com/artidoro/frank")
    parser.add_argument("dev", type=Path, help="the development set, whose articles are left out")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the JSON-lines file")
    args = parser.parse_args(argv)
    with args.dev.open(encoding="utf-8") as f:
        seen = {json.loads(line)["article"][:120].strip() for line in f if line.strip()}
    names = _git(args.frank, "ls-tree", "-r", "--name-only", COMMIT, FOLDER).split()
    rows = []
    for name in names:
        item = json.loads(_git(args.frank, "show", f"{COMMIT}:{name}"))
        if "bart_reference" not in item or item["hash"].isdigit():
            continue  # an XSum article (numeric ids): one-sentence summaries of BBC stories
        if item["article"][:120].strip() in seen:
            continue
        highlights = [h.strip() for h in item["bart_reference"].split(" . ") if h.strip()]
        summary = "\n".join(h if h.endswith(".") else f"{h} ." for h in highlights)
        rows.append(
            {"id": item.get("id", item["hash"]), "article": item["article"], "summary": summary}
        )
    with args.output.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    print(f"{len(rows)} articles written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
