"""The shared plumbing: reading inputs, naming the file and field of bad input, formats, output,
progress, usage errors and exit statuses."""

from __future__ import annotations

import contextlib
import io
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imagegallery import sample_inventory
from imagegallery.cli import _COMMANDS, main
from imagegallery.cli._common import (
    Answer,
    InputError,
    Progress,
    find_definitions,
    find_resource,
    parse_at,
    parse_regions,
    read_json,
    render,
    table,
)
from tests.cli._helpers import ACCESS, ACCESS_ARGS, one_line_error, run, write


def test_moments_need_an_offset() -> None:
    assert parse_at("2025-03-01T12:00:00+02:00").utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
    assert parse_at("2025-03-01").isoformat() == "2025-03-01T00:00:00+00:00"  # type: ignore[union-attr]
    assert parse_at(None) is None
    with pytest.raises(InputError, match=r"^--at: has no UTC offset"):
        parse_at("2025-03-01T12:00:00")
    with pytest.raises(InputError, match=r"^--at: not an ISO 8601"):
        parse_at("yesterday")
    one_line_error(run("latest", "--at", "2025-03-01T00:00:00"), "--at", "no UTC offset")


def test_regions_are_normalized_and_deduplicated() -> None:
    assert parse_regions(["West Europe,eastus", " westeurope ", ""]) == ("westeurope", "eastus")
    assert parse_regions(None) == ()
    with pytest.raises(InputError, match="--region"):
        parse_regions(["a/b"])


def test_unreadable_and_malformed_json_name_the_file(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.json"
    truncated.write_text('[{"id": "/subscriptions/0/resourceGroups/rg", "location": ')
    with pytest.raises(InputError, match=r"truncated.json: not valid JSON: .* line 1 column"):
        read_json(str(truncated))
    one_line_error(run("inventory", "-i", str(truncated)), "truncated.json", "not valid JSON")
    one_line_error(run("inventory", str(tmp_path / "missing.json")), "missing.json", "cannot read")
    one_line_error(run("inventory", "-i", str(tmp_path)), "cannot read the file")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    one_line_error(run("inventory", "-i", str(deep)), "deep.json", "nested too deeply")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"name": "caf\xe9"}')
    one_line_error(run("inventory", "-i", str(latin)), "latin.json", "UTF-8")


def test_a_byte_order_mark_and_standard_input_are_read(tmp_path: Path) -> None:
    text = json.dumps(sample_inventory().to_arm())
    marked = tmp_path / "bom.json"
    marked.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert run("inventory", "-i", str(marked), "--level", "galleries").code == 0
    piped = run("inventory", "-i", "-", "--level", "galleries", stdin=text)
    assert piped.code == 0
    assert piped.out == run("inventory", "--level", "galleries").out
    one_line_error(run("inventory", "-i", "-", "-i", "-", stdin=text), "--input", "only once")
    one_line_error(run("inventory", "-i", "-", stdin=text[:-20]), "<stdin>", "not valid JSON")


def test_a_json_string_is_never_read_as_a_path(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps(sample_inventory().to_arm()))
    pointer = write(tmp_path / "pointer.json", str(secret))
    one_line_error(run("inventory", "-i", pointer), "pointer.json", "got a JSON str")


def test_an_access_file_given_as_the_inventory_says_where_it_belongs() -> None:
    result = run("inventory", "-i", str(ACCESS / "role-assignments.json"))
    one_line_error(
        result,
        "role-assignments.json: [0].type: not a gallery",
        "give it with --role-assignments",
    )


def test_the_file_that_breaks_a_load_is_named(tmp_path: Path, exports: dict[str, Path]) -> None:
    good = str(exports["gallery_specialized"])
    resources = json.loads(Path(good).read_text())
    broken = [dict(r) for r in resources]
    version = next(r for r in broken if r["type"].endswith("/versions"))
    version["properties"] = {
        **version["properties"],
        "publishingProfile": {
            **version["properties"]["publishingProfile"],
            "endOfLifeDate": "2030-01-01T00:00:00",
        },
    }
    naive = write(tmp_path / "naive.json", broken)
    result = run("latest", "-i", good, "-i", naive)
    one_line_error(result, "naive.json: ", "publishingProfile.endOfLifeDate", "2030-01-01T00:00:00")
    retagged = [dict(r) for r in resources]
    retagged[0] = {**retagged[0], "tags": {"owner": "someone else"}}
    clash = write(tmp_path / "clash.json", retagged)
    one_line_error(
        run("latest", "-i", good, "-i", clash),
        "clash.json: ",
        "occurs twice with different content",
        f"together with {good}",
    )


def test_definitions_and_resources_by_name_or_id(exports: dict[str, Path]) -> None:
    inventory = sample_inventory()
    assert find_definitions(inventory, None) is None
    (image2,) = find_definitions(inventory, ["MYIMAGE2"]) or []
    assert find_definitions(inventory, [str(image2.id)]) == [image2]
    with pytest.raises(InputError, match="not an image definition id"):
        find_definitions(inventory, [str(image2.id) + "/versions/2.0.0"])
    assert find_resource(inventory, "myGallery", "R").name == "myGallery"
    assert find_resource(inventory, "/subscriptions/s1", "R").kind.value == "subscription"
    with pytest.raises(InputError, match="no resource 'myGallery/nothing'"):
        find_resource(inventory, "myGallery/nothing", "R")
    twice = run("access", "who-can", "read", "gallery_000003", "-i", str(exports["gallery_e2e"]),
                *ACCESS_ARGS)  # fmt: skip
    one_line_error(twice, "RESOURCE: 'gallery_000003' names 2 resources")


def test_aligned_tables_have_no_trailing_spaces() -> None:
    lines = table(["NAME", "N", "NOTE"], [["a", "1", ""], ["bbb", "10", "x"]], right={1})
    assert lines == ["NAME   N  NOTE", "a      1", "bbb   10  x"]


def _answer() -> Answer:
    return Answer(
        command="latest",
        text=lambda: "hello",
        document=lambda: {"rows": [1]},
        columns=("a", "b"),
        rows=lambda: [{"a": True, "b": None}, {"a": ["x", "y"]}],
    )


def test_every_format_renders() -> None:
    assert render(_answer(), "text") == "hello\n"
    assert json.loads(render(_answer(), "json")) == {"schema": "imagegallery.latest/1", "rows": [1]}
    assert render(_answer(), "csv") == "a,b\ntrue,\nx;y,\n"


def test_output_goes_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run("validate", "--format", "json", "--output", str(target))
    assert (result.code, result.out, result.err) == (0, "", "")
    assert json.loads(target.read_text())["schema"] == "imagegallery.validate/1"
    one_line_error(run("validate", "-o", str(tmp_path / "no" / "dir" / "x")), "--output")


def test_usage_errors_are_one_line_and_help_has_examples() -> None:
    one_line_error(run("latest", "--no-such-option"), "imagegallery latest: error:", "--help")
    one_line_error(run("frobnicate"), "invalid choice")
    one_line_error(run("what-if"), "one of the arguments")
    one_line_error(run("what-if", "--keep-latest", "0"), "--keep-latest", "at least 1")
    for name in [*_COMMANDS, "access can", "access can-deploy"]:
        shown = run(*name.split(), "--help")
        assert shown.code == 0
        assert "examples:\n  imagegallery " + name.split()[0] in shown.out, name
    assert run("--version").code == 0


def test_no_command_means_report() -> None:
    given = run("--at", "2025-07-01")
    assert given.out == run("report", "--at", "2025-07-01").out
    assert given.out.splitlines()[0] == "Inventory"
    assert run().out.splitlines()[:2] == ["Inventory", "========="]


def test_an_unexpected_failure_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import imagegallery.cli._validate as validate

    def broken(*_args: object, **_kwargs: object) -> object:
        raise TypeError("unexpected")

    monkeypatch.setattr(validate, "check", broken)
    result = run("validate")
    assert result.code == 2
    assert result.err.splitlines() == [
        "imagegallery: internal error: TypeError: unexpected (please report it;"
        " IMAGEGALLERY_TRACEBACK=1 shows where)"
    ]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_or_when_asked() -> None:
    quiet = io.StringIO()
    with Progress(quiet, "auto").step("loading"):
        pass
    assert quiet.getvalue() == ""
    terminal = _Terminal()
    progress = Progress(terminal, "auto")
    with progress.step("resolving", total=4):
        progress.advance(2)
        time.sleep(0.5)
    shown = terminal.getvalue()
    assert "\r\x1b[Kresolving 2/4 ... " in shown
    assert shown.endswith("\r\x1b[K")
    silenced = _Terminal()
    with Progress(silenced, "off").step("loading"):
        time.sleep(0.4)
    assert silenced.getvalue() == ""
    logged = io.StringIO()
    with Progress(logged, "on").step("pricing"):
        pass
    assert logged.getvalue().startswith("imagegallery: pricing: ")
    result = run("inventory", "--progress")
    assert result.err.splitlines() == []  # the sample is not loaded from files: no steps
    result = run("cost", "--progress")
    assert [line.split(":")[1] for line in result.err.splitlines()] == [" pricing"]


class _Closed(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_standard_output_is_not_an_error_message() -> None:
    err = io.StringIO()
    with contextlib.redirect_stdout(_Closed()), contextlib.redirect_stderr(err):
        assert main(["report"]) == 2
    assert err.getvalue() == ""


def test_standard_input_is_read_by_one_option_only() -> None:
    text = json.dumps(sample_inventory().to_arm())
    one_line_error(
        run("cost", "-i", "-", "--prices", "-", stdin=text),
        "--prices: standard input ('-') can be read only once (it is already read by --input)",
    )


_CELLS = st.text(alphabet="ab -.", max_size=6)


@settings(max_examples=60, deadline=None)
@given(
    width=st.integers(min_value=1, max_value=4).flatmap(
        lambda n: st.tuples(
            st.lists(_CELLS, min_size=n, max_size=n),
            st.lists(st.lists(_CELLS, min_size=n, max_size=n), max_size=5),
            st.sets(st.integers(min_value=0, max_value=n - 1)),
        )
    )
)
def test_table_cells_are_padded_to_the_widest_of_their_column(
    width: tuple[list[str], list[list[str]], set[int]],
) -> None:
    headers, rows, right = width
    lines = table(headers, rows, right=right)
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    for line, cells in zip(lines, [headers, *rows], strict=True):
        expected = []
        for i, cell in enumerate(cells):
            if i in right:
                expected.append(cell.rjust(widths[i]))
            elif i == len(cells) - 1:
                expected.append(cell)
            else:
                expected.append(cell.ljust(widths[i]))
        assert line == "  ".join(expected).rstrip()


def test_az_output_on_standard_input() -> None:
    az = json.dumps(sample_inventory().to_arm(shape="az"))
    piped = run("latest", "-i", "-", "--at", "2025-03-01", "--format", "json", stdin=az)
    assert piped.out == run("latest", "--at", "2025-03-01", "--format", "json").out
