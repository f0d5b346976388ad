"""``imagegallery access``: the questions and the summary, on the sample and on access exports
(``az role assignment list``, role definitions, Graph member pages, deny assignments)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli._helpers import (
    ACCESS,
    ACCESS_ARGS,
    E2E_IMAGE,
    RG_APPS,
    check_schema,
    one_line_error,
    run,
    write,
)

AT = ("--at", "2025-07-01T00:00:00Z")
ALICE = "7a0e3d52-1c4b-4f8e-9b2a-5d6c7e8f9a01"
BOB = "7a0e3d52-1c4b-4f8e-9b2a-5d6c7e8f9a02"


def test_the_sample_summary() -> None:
    result = run("access", *AT)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].startswith("Sample principals and grants; VMs are created in /subscriptions/")
    assert "  gallery               Yes      Yes               Yes" in lines
    assert "  myGallery/myImage3 0.2.0         Alice, Carol" in lines
    assert any(line.endswith("Erin (via direct-share)") for line in lines)
    assert "  Dave: denied on myGallery/myImage1, myGallery/myImage2, myGallery/myImage3" in lines
    assert lines[-1].startswith("Ignored assignments: 1 (e.g. ")
    document = run("access", *AT, "--format", "json").json()
    check_schema(document, "access")
    assert document["question"] == "summary"
    assert document["sample"] is True
    first = document["summary"]["latest"][0]
    assert first["version"] == "1.1.0"
    assert [p["label"] for p in first["principals"]] == ["Alice", "Bob", "deploy-pipeline"]
    table = run("access", *AT, "--format", "csv").csv()
    assert set(table["label"].dropna()) >= {"Alice", "Carol", "Erin"}
    eligible = run("access", *AT, "--include-eligible").out.splitlines()
    assert "  myGallery/myImage3 0.2.0         Alice, Carol, Erin" in eligible
    assert not any(line.startswith("  Erin: eligible") for line in eligible)


def test_can_says_yes_or_no_with_the_deciding_reason() -> None:
    yes = run("access", "can", "Carol", "read", "myGallery/myImage3/0.2.0", *AT)
    assert yes.code == 0
    assert yes.out.startswith("yes: Carol may Microsoft.Compute/galleries/images/versions/read")
    no = run("access", "can", "dave", "read", "myGallery/myImage1/1.0.9", *AT)
    assert no.code == 1
    assert no.out.splitlines()[1].startswith("  deny:  Dave → Contractors ⇒ DENY")
    explained = run("access", "can", "Dave", "read", "myGallery/myImage1/1.0.9", *AT, "--explain")
    assert any(
        line.startswith("  grant: Dave → Contractors → Platform devs")
        for line in explained.out.splitlines()
    )
    document = run(
        "access", "can", "Dave", "read", "myGallery/myImage1/1.0.9", *AT, "--format", "json"
    ).json()
    check_schema(document, "access")
    assert (document["allowed"], document["effect"]) == (False, "denied")
    assert document["decision"]["denials"][0]["deny"] == "No contractor reads of golden images"
    table = run(
        "access", "can", "Dave", "read", "myGallery/myImage1/1.0.9", *AT, "--format", "csv"
    ).csv()
    assert list(table["kind"])[:1] == ["deny"]


def test_who_can_what_can_and_eligibility() -> None:
    who = run("access", "who-can", "read", "myGallery/myImage3/0.2.0", *AT, "--format", "json")
    check_schema(who.json(), "access")
    assert [p["label"] for p in who.json()["principals"]] == [
        "Alice", "Carol", "image-builder", "Platform", "Platform devs", "Sam (security)",
    ]  # fmt: skip
    what = run("access", "what-can", "Carol", "read", "--kind", "version", *AT)
    assert what.code == 0
    assert what.out.splitlines()[-1].split() == [
        "imageVersion",
        "myGallery/myImage3/0.2.0",
        "allowed",
    ]
    erin = ("access", "can", "Erin", "read", "myGallery/myImage1/1.0.9", *AT)
    assert run(*erin).code == 1
    eligible = run(*erin, "--include-eligible", "--format", "json").json()
    assert (eligible["allowed"], eligible["effect"], eligible["include_eligible"]) == (
        True,
        "eligible",
        True,
    )
    nobody = run("access", "who-can", "Microsoft.Compute/galleries/delete", "sharedGallery", *AT)
    assert (nobody.code, nobody.out.splitlines()[0][:12]) == (1, "0 principal(")


def test_can_deploy_resolves_latest_and_needs_both_permissions() -> None:
    dave = run("access", "can-deploy", "Dave", "myGallery/myImage1", *AT, "--format", "json")
    assert dave.code == 1
    document = dave.json()
    check_schema(document, "access")
    assert document["resource"].endswith("/myImage1/versions/1.1.0")
    assert [r["effect"] for r in document["decision"]["requirements"]] == ["denied", "allowed"]
    alice = run("access", "can-deploy", "Alice", "myGallery/myImage1", "--region", "eastus", *AT)
    assert alice.code == 0
    assert "from myGallery/myImage1/1.0.9 in" in alice.out.splitlines()[0]


def test_exports_name_principals_as_az_and_graph_do(exports: dict[str, Path]) -> None:
    export = ("-i", str(exports["gallery_e2e"]), *ACCESS_ARGS, "--target", RG_APPS, *AT)
    summary = run("access", *export)
    assert summary.code == 0
    lines = summary.out.splitlines()
    assert lines[0] == f"Access from the given exports; VMs are created in {RG_APPS}"
    assert "  gallery_000003/image1 1.1.3  Alice Smith" in lines
    assert "  Bob Jones: denied on gallery_000003/image1" in lines
    document = run("access", *export, "--format", "json").json()
    check_schema(document, "access")
    assert document["sample"] is False
    for name in ("bob@contoso.com", "Bob Jones", BOB, BOB.upper()):
        answer = run("access", "can-deploy", name, E2E_IMAGE, *export, "--format", "json").json()
        assert answer["principal"] == {"id": answer["principal"]["id"], "label": "Bob Jones"}
        assert answer["principal"]["id"].lower() == BOB
        assert answer["allowed"] is False
    publisher = run(
        "access", "what-can", "image-pipeline", "Microsoft.Compute/galleries/images/versions/write",
        *export, "--kind", "version",
    )  # fmt: skip
    assert publisher.code == 0
    assert len(publisher.out.splitlines()) == 5
    deleting = run(
        "access", "can", "image-pipeline", "Microsoft.Compute/galleries/images/versions/delete",
        f"{E2E_IMAGE}/versions/1.1.2", *export,
    )  # fmt: skip
    assert deleting.code == 1
    who = run("access", "who-can", "read", f"{E2E_IMAGE}/versions/1.1.3", *export, "--explain")
    assert "Bob Jones" not in who.out
    assert "  grant: Alice Smith ⇒ Reader [*/read] @ " in who.out
    table = run("access", "who-can", "read", E2E_IMAGE, *export, "--format", "csv").csv()
    assert set(table["label"]) == {"Alice Smith", "Bob Jones", "Image consumers", "image-pipeline"}


def test_your_inventory_never_gets_the_sample_s_principals(exports: dict[str, Path]) -> None:
    export = str(exports["gallery_e2e"])
    one_line_error(run("access", "-i", export), "--role-assignments", "access was not given")
    one_line_error(
        run("access", "can", "Alice", "read", E2E_IMAGE, "-i", export), "access was not given"
    )
    one_line_error(
        run("access", "can-deploy", "alice@contoso.com", E2E_IMAGE, "-i", export, *ACCESS_ARGS),
        "--target",
    )
    one_line_error(
        run("access", "can", "Mallory", "read", E2E_IMAGE, "-i", export, *ACCESS_ARGS),
        "PRINCIPAL", "no principal named 'Mallory'",
    )  # fmt: skip


def test_bad_access_files_name_the_file_and_the_field(
    tmp_path: Path, exports: dict[str, Path]
) -> None:
    export = ("-i", str(exports["gallery_e2e"]))
    records = json.loads((ACCESS / "role-assignments.json").read_text())
    unknown = write(
        tmp_path / "unknown-role.json",
        [
            {
                **records[0],
                "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-3333-4444-555555555555",
            }
        ],
    )
    one_line_error(
        run("access", *export, "--role-assignments", unknown),
        "unknown-role.json: role assignment 4f1c2b7e-9d3a-4e8b-a2c1-0e5d6f7a8b01:",
        "roleDefinitionId: unknown role definition '11111111-2222-3333-4444-555555555555'",
    )
    nobody = write(
        tmp_path / "nobody.json", [{k: v for k, v in records[0].items() if k != "principalId"}]
    )
    one_line_error(
        run("access", *export, "--role-assignments", nobody), "nobody.json: [0].principalId"
    )
    one_line_error(
        run("access", *export, "--role-assignments", str(exports["gallery_e2e"])),
        "gallery_e2e.json: [0]",
    )
    truncated = tmp_path / "members.json"
    truncated.write_text((ACCESS / "memberships.json").read_text()[:200])
    one_line_error(
        run("access", *export, *ACCESS_ARGS[:4], "--memberships", str(truncated)),
        "members.json", "not valid JSON",
    )  # fmt: skip


def test_the_summary_of_an_inventory_without_image_definitions(tmp_path: Path) -> None:
    from tests.conftest import arm_example_bodies

    body = next(b for name, _, b in arm_example_bodies() if name == "Gallery_Get.json")
    gallery = write(tmp_path / "gallery.json", body)
    result = run("access", "-i", gallery, *ACCESS_ARGS, *AT)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[lines.index("Who can read the latest version:") + 1] == "  (no image definitions)"
    assert "  gallery               Yes      Yes               Yes" in lines
