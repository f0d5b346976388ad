"""Build ``bodies.json.gz`` from the shared corpus (``../shared/fixtures/corpus``).

Keeps every distinct response body of a gallery request: the REST examples' responses (with the
example's ``parameters``, which name the resource an example without ``id`` is about), and in the
recordings, the responses to requests on ``galleries``, ``sharedGalleries``,
``communityGalleries`` and Resource Graph. Run from the repository root::

    python tests/data/corpus/build.py ../shared/fixtures/corpus
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

_GALLERY_REQUEST = re.compile(
    r"/(galleries|sharedgalleries|communitygalleries)\b|microsoft\.resourcegraph", re.IGNORECASE
)


def _bodies(root: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.suffix == ".yaml":
            for i, interaction in enumerate(yaml.safe_load(path.read_text())["interactions"]):
                uri, text = interaction["request"]["uri"], interaction["response"]["body"]["string"]
                if text and _GALLERY_REQUEST.search(uri.split("?")[0]):
                    try:
                        body = json.loads(text)
                    except json.JSONDecodeError:
                        continue
                    yield {"file": name, "at": f"interaction {i}", "uri": uri, "body": body}
        elif path.name.endswith(".bodies.json"):
            for interaction in json.loads(path.read_text())["interactions"]:
                at = f"interaction {interaction['index']}"
                yield {
                    "file": name,
                    "at": at,
                    "uri": interaction["uri"],
                    "body": interaction["body"],
                }
        elif path.suffix == ".json":
            example = json.loads(path.read_text())
            for status, response in example.get("responses", {}).items():
                if "body" in response:
                    yield {
                        "file": name,
                        "at": f"response {status}",
                        "parameters": example.get("parameters", {}),
                        "body": response["body"],
                    }


def main(root: Path) -> None:
    seen: dict[str, dict[str, Any]] = {}
    total = 0
    for entry in _bodies(root):
        total += 1
        key = json.dumps(entry["body"], sort_keys=True)
        if key in seen:
            seen[key]["copies"] += 1
        else:
            seen[key] = {**entry, "copies": 1}
    out = Path(__file__).with_name("bodies.json.gz")
    with gzip.open(out, "wt", encoding="utf-8") as stream:
        json.dump(list(seen.values()), stream, indent=0)
    print(f"{total} bodies, {len(seen)} distinct -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
