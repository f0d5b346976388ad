"""The README's set-up commands and CI stay in step."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).parents[1]


def _setup_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = text.split("```console\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_starts_with_exactly_two_setup_commands():
    text = (ROOT / "README.md").read_text()
    assert text.startswith("# imagegallery\n\n```console\n")
    commands = _setup_commands()
    assert len(commands) == 2
    assert commands[0].endswith("-m imagegallery report")
    assert commands[1].endswith("-m pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _setup_commands()[1] in ci
