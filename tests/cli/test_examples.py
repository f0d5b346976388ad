"""The command-line examples in the README and in ``docs/cli.md`` are what the command prints."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli._helpers import ROOT, run


def _examples(path: Path, section: str | None = None) -> Iterator[tuple[str, str]]:
    """``(command, output)`` of each ``$ imagegallery ...`` line of the console blocks that
    reads no files (those name exports the reader has, not the sample)."""
    text = path.read_text()
    if section is not None:
        text = text.split(section, 1)[1].split("\n## ", 1)[0]
    for block in re.findall(r"```console\n(.*?)```", text, re.DOTALL):
        lines = block.splitlines()
        starts = [i for i, line in enumerate(lines) if line.startswith("$ ")]
        for i, start in enumerate(starts):
            command = lines[start][2:]
            if ".json" in command or not command.startswith("imagegallery "):
                continue
            end = starts[i + 1] if i + 1 < len(starts) else len(lines)
            yield command, "\n".join(lines[start + 1 : end])


README = list(_examples(ROOT / "README.md", "## Command line"))
DOCS = list(_examples(ROOT / "docs" / "cli.md"))


def test_the_readme_answers_three_questions() -> None:
    assert len(README) == 3


@pytest.mark.parametrize(("command", "output"), README + DOCS, ids=[c for c, _ in README + DOCS])
def test_the_example_prints_what_is_shown(command: str, output: str) -> None:
    result = run(*shlex.split(command, comments=True)[1:])
    assert result.err == ""
    assert result.out.rstrip("\n") == output
