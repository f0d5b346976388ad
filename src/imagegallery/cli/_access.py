"""``imagegallery access``: who can see or deploy what, and why.

The access facts are what Azure exports: ``az role assignment list --all --include-inherited``
(``--role-assignments``), ``az role definition list`` (``--role-definitions``; the built-in
gallery roles ship with the library), deny assignments, group memberships (edge lists or
Microsoft Graph ``members`` pages), the directory (Graph users, groups, service principals),
management groups and subscriptions. Without an ``--input`` inventory and without access files,
the sample's access facts are used; an inventory of your own needs your own access files (the
sample's principals are never used on it).

Principals are shown by the names the exports give (``principalName`` of the role assignments,
``displayName`` of the directory) and may be given by those names or by object id.

Questions: ``can PRINCIPAL ACTION RESOURCE``, ``who-can ACTION RESOURCE``,
``what-can PRINCIPAL ACTION``, ``can-deploy PRINCIPAL VERSION --target SCOPE``; without a
question, a summary (the sharing matrix, and who can deploy each definition's latest version).
``ACTION`` may be ``read`` (the read action of the resource's kind; image versions for
``what-can``). ``RESOURCE`` and ``VERSION`` may be ids or ``GALLERY/DEFINITION/VERSION``.

Example:
    >>> from imagegallery.cli import main
    >>> main(["access", "can", "Carol", "read", "myGallery/myImage3/0.2.0",
    ...       "--at", "2025-07-01"])  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    yes: Carol may Microsoft.Compute/galleries/images/versions/read
      on myGallery/myImage3/0.2.0 (allowed)
      grant: Carol ⇒ Reader [*/read] @ /subscriptions/.../versions/0.2.0
    0
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import attrs

from imagegallery.cli._common import (
    EXIT_NEGATIVE,
    EXIT_OK,
    Answer,
    Command,
    Context,
    InputError,
    add_input_arguments,
    add_output_arguments,
    find_resource,
    json_value,
    load_inventory,
    parse_regions,
    read_json,
    table,
)
from imagegallery.definition import ImageDefinition
from imagegallery.errors import ImageGalleryError, NoEligibleVersionError
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory
from imagegallery.resolve import resolve_latest
from imagegallery.version import ImageVersion

if TYPE_CHECKING:
    from imagegallery.access import AccessModel, AccessPath, Decision, DenyPath

__all__ = [
    "COMMAND",
    "Access",
    "AccessFacts",
    "access_given",
    "access_summary",
    "add_access_arguments",
    "load_access",
    "read_access",
    "summary_document",
    "summary_text",
]

_GUID: Final = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_READ: Final = {
    ResourceKind.GALLERY: "Microsoft.Compute/galleries/read",
    ResourceKind.IMAGE_DEFINITION: "Microsoft.Compute/galleries/images/read",
}
_VERSION_READ: Final = "Microsoft.Compute/galleries/images/versions/read"
_FILES: Final = (
    ("role_assignments", "--role-assignments", "az role assignment list --all --include-inherited"),
    ("role_definitions", "--role-definitions", "az role definition list (custom roles added)"),
    ("deny_assignments", "--deny-assignments", "deny assignments (REST list)"),
    ("memberships", "--memberships", "group memberships: {groupId, memberId} or Graph pages"),
    ("directory", "--directory", "Graph users, groups and service principals"),
    ("management_groups", "--management-groups", "az account management-group entities list"),
    ("subscriptions", "--subscriptions", "az account list"),
)


# -- the access facts ------------------------------------------------------------------------------


@attrs.frozen
class Access:
    """An access model and how to name its principals.

    Attributes:
        model: The model.
        sample: Whether these are the sample's access facts.
        names: Principal id (lower case) → the name the role assignments give
            (``principalName``), for principals the directory does not name.
        aliases: A name in lower case (``principalName``, ``displayName``,
            ``userPrincipalName``, ``mail``) → the ids it names.
        deploy_target: Where VMs are created in the summary (``--target``), if known.
    """

    model: AccessModel
    sample: bool
    names: Mapping[str, str] = attrs.field(factory=dict)
    aliases: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    deploy_target: str | None = None

    def label(self, principal: str) -> str:
        """The name of a principal: the directory's, else the role assignments', else its id."""
        key = principal.lower()
        known = self.model.principals.get(key)
        if known is not None and known.display_name:
            return known.display_name
        return self.names.get(key) or principal

    def principal(self, text: str, option: str = "PRINCIPAL") -> str:
        """The object id a command-line principal names: an id, or a name from the exports."""
        given = text.strip()
        key = given.lower()
        if key in self.names or key in self.model.principals:
            return given
        matches = set(self.aliases.get(key, ()))
        matches.update(p.key for p in self.model.principals.values() if p.label.lower() == key)
        if len(matches) == 1:
            return matches.pop()
        if len(matches) > 1:
            raise InputError(
                option, f"{given!r} names {len(matches)} principals; give one of their ids"
            )
        if _GUID.fullmatch(given):
            return given
        raise InputError(
            option,
            f"no principal named {given!r} in the access files (give a name or an object id)",
        )


def _aliases(data: Any) -> Iterator[tuple[str, str]]:
    """``(alias, id)`` of the directory objects anywhere in Graph or ``az`` JSON (no recursion:
    an explicit stack, so deep input cannot exhaust the interpreter's stack)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, Mapping):
            body = item.get("properties")
            body = body if isinstance(body, Mapping) else item
            oid = body.get("principalId") if "principalId" in body else body.get("id")
            if isinstance(oid, str) and not oid.startswith("/"):
                for key in ("principalName", "displayName", "userPrincipalName", "mail"):
                    alias = body.get(key)
                    if isinstance(alias, str) and alias:
                        yield alias, oid
            stack.extend(v for v in item.values() if isinstance(v, list | Mapping))


def add_access_arguments(
    parser: argparse.ArgumentParser, *, suppress: bool = False, questions: bool = True
) -> None:
    """The access files and, with ``questions``, ``--include-eligible`` and ``--target``."""
    group = parser.add_argument_group("access facts (JSON files, as Azure tools export them)")
    for dest, option, what in _FILES:
        group.add_argument(
            option,
            dest=dest,
            action="append",
            metavar="FILE",
            default=argparse.SUPPRESS if suppress else None,
            help=what + " (repeatable)",
        )
    if not questions:
        return
    group.add_argument(
        "--include-eligible",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="count PIM-eligible assignments and memberships as granted",
    )
    group.add_argument(
        "--target",
        metavar="SCOPE",
        default=argparse.SUPPRESS if suppress else None,
        help="where VMs are created (a resource group id), for can-deploy and the summary",
    )


def _given(args: argparse.Namespace) -> bool:
    return any(getattr(args, dest, None) for dest, _, _ in _FILES)


def _records(data: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _records(item)
    elif isinstance(data, Mapping):
        if isinstance(data.get("value"), list) and "id" not in data:
            yield from _records(data["value"])
        else:
            yield data


def _assignment_names(data: Any) -> Iterator[tuple[str, str, str | None]]:
    """``(principal id, name, principal type)`` that ``az role assignment list`` prints."""
    for record in _records(data):
        body = record.get("properties")
        body = body if isinstance(body, Mapping) else record
        pid = body.get("principalId")
        name = body.get("principalName") or body.get("principalDisplayName")
        if isinstance(pid, str) and isinstance(name, str) and name:
            ptype = body.get("principalType")
            yield pid, name, ptype if isinstance(ptype, str) else None


def _read_all(ctx: Context, dest: str) -> list[tuple[str, Any]]:
    out = []
    for path in getattr(ctx.args, dest, None) or ():
        name = "<stdin>" if path == "-" else path
        out.append((name, read_json(path, stdin=ctx.stdin)))
    return out


def _in_file(name: str, err: ImageGalleryError) -> InputError:
    """The loaders name fields from the document's root (``[3].principalId``,
    ``.value[0].scope``); the file name goes in front."""
    return InputError(name, str(err).removeprefix("."))


def _loaded(files: Sequence[tuple[str, Any]], load: Any) -> list[Any]:
    out: list[Any] = []
    for name, data in files:
        try:
            out.extend(load(data, name=""))
        except ImageGalleryError as err:
            raise _in_file(name, err) from None
    return out


def _one(name: str, load: Any) -> Any:
    try:
        return load()
    except ImageGalleryError as err:
        raise _in_file(name, err) from None


def _check_roles(assignments_by_file: Any, roles: Any) -> None:
    known = {r.id.lower() for r in roles} | {r.name.lower() for r in roles}
    for name, assignments in assignments_by_file:
        for ra in assignments:
            if ra.role_definition_id.lower() not in known:
                raise InputError(
                    name,
                    f"role assignment {ra.label}: roleDefinitionId: unknown role definition"
                    f" {ra.role_definition_id!r} (not a built-in gallery role; give"
                    " 'az role definition list' output with --role-definitions)",
                )


@attrs.frozen
class AccessFacts:
    """What the access files say, read once, for building models over one or more inventories
    (``diff`` compares two).

    Attributes:
        parts: The keyword arguments of :class:`~imagegallery.access.AccessModel` but the
            inventory (loaded role definitions, assignments, denies, memberships, principals,
            management groups, tenants).
        names: Principal id (lower case) → ``principalName`` from the role assignments.
        aliases: A name in lower case → the ids it names.
    """

    parts: Mapping[str, Any]
    names: Mapping[str, str]
    aliases: Mapping[str, frozenset[str]]

    def model(self, inventory: Inventory) -> AccessModel:
        """The access model of these facts over ``inventory``."""
        from imagegallery.access import AccessModel  # noqa: PLC0415 - networkx only when needed

        try:
            return AccessModel(inventory, **self.parts)
        except ImageGalleryError as err:
            raise InputError("access files", str(err)) from None


def access_given(ctx: Context) -> bool:
    """Whether any access file was given."""
    return _given(ctx.args)


def read_access(ctx: Context, subscriptions: Sequence[str]) -> AccessFacts:
    """Read and check every access file (``subscriptions``: the inventory's, to tell
    subscriptions from management groups in a ``{child: parent}`` mapping)."""
    from imagegallery.access import (  # noqa: PLC0415 - networkx is imported only when needed
        Principal,
        builtin_roles,
        load_deny_assignments,
        load_directory,
        load_management_groups,
        load_memberships,
        load_role_assignments,
        load_role_definitions,
        load_subscriptions,
    )

    with ctx.progress.step("reading the access files"):
        files = {dest: _read_all(ctx, dest) for dest, _, _ in _FILES}
        by_file = [
            (name, _loaded([(name, data)], load_role_assignments))
            for name, data in files["role_assignments"]
        ]
        roles = {r.id.lower(): r for r in builtin_roles()}
        roles.update(
            (r.id.lower(), r) for r in _loaded(files["role_definitions"], load_role_definitions)
        )
        _check_roles(by_file, roles.values())
        denies = _loaded(files["deny_assignments"], load_deny_assignments)
        memberships: list[Any] = []
        members: list[Any] = []
        for name, data in files["memberships"]:
            edges, found = _one(name, lambda data=data: load_memberships(data, name=""))
            memberships.extend(edges)
            members.extend(found)
        directory = _loaded(files["directory"], load_directory)
        tenants: dict[str, str] = {}
        for name, data in files["subscriptions"]:
            tenants.update(_one(name, lambda data=data: load_subscriptions(data, name="")))
        parents: dict[Any, Any] = {}
        known = (*subscriptions, *tenants)
        for name, data in files["management_groups"]:
            found_parents, found_tenants = _one(
                name,
                lambda data=data: load_management_groups(data, subscriptions=known, name=""),
            )
            parents.update(found_parents)
            tenants = {**found_tenants, **tenants}
    aliases: dict[str, set[str]] = {}
    for dest in ("role_assignments", "memberships", "directory"):
        for _name, data in files[dest]:
            for alias, oid in _aliases(data):
                aliases.setdefault(alias.lower(), set()).add(oid.lower())
    names: dict[str, str] = {}
    principals: list[Any] = [*directory, *members]
    named = {p.key for p in principals}
    for _name, data in files["role_assignments"]:
        for pid, label, ptype in _assignment_names(data):
            names.setdefault(pid.lower(), label)
            if not directory and pid.lower() not in named:
                # Without a directory export, the names az prints stand in for it.
                named.add(pid.lower())
                principals.append(Principal(id=pid, type=ptype or "User", display_name=label))
    parts = {
        "role_definitions": tuple(roles.values()),
        "role_assignments": tuple(ra for _, found in by_file for ra in found),
        "deny_assignments": tuple(denies),
        "memberships": tuple(memberships),
        "principals": tuple(principals),
        "management_groups": parents,
        "tenants": tenants,
    }
    frozen = {alias: frozenset(ids) for alias, ids in aliases.items()}
    return AccessFacts(parts, names, frozen)


def load_access(ctx: Context, inventory: Inventory) -> Access | None:
    """The access facts of the command line over ``inventory``, or ``None`` when none are given
    for an inventory of one's own. Without inputs and without access files: the sample's."""
    target = getattr(ctx.args, "target", None)
    if not _given(ctx.args):
        if ctx.input_paths:
            return None
        from imagegallery.access import sample_access_model  # noqa: PLC0415 - lazy networkx
        from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET  # noqa: PLC0415

        with ctx.progress.step("building the sample access model"):
            model = sample_access_model(inventory)
        return Access(model, True, deploy_target=target or SAMPLE_DEPLOY_TARGET)
    facts = read_access(ctx, inventory.subscriptions())
    with ctx.progress.step("building the access model"):
        model = facts.model(inventory)
    return Access(model, False, facts.names, facts.aliases, target)


def _require(ctx: Context, inventory: Inventory) -> Access:
    access = load_access(ctx, inventory)
    if access is None:
        raise InputError(
            "--role-assignments",
            "access was not given: an inventory of your own needs your access exports"
            " (--role-assignments, and --role-definitions for custom roles)",
        )
    return access


# -- records of decisions --------------------------------------------------------------------------


def _path_record(path: AccessPath) -> dict[str, Any]:
    return {
        "chain": list(path.chain),
        "labels": list(path.labels),
        "via": path.via,
        "role": path.role.name if path.role is not None else None,
        "pattern": path.pattern,
        "scopes": [str(s) for s in path.scopes],
        "effect": path.effect.value,
        "assignment_id": path.assignment.id if path.assignment is not None else None,
        "note": path.note,
        "text": str(path),
    }


def _deny_record(deny: DenyPath) -> dict[str, Any]:
    return {
        "deny": deny.deny.label,
        "deny_id": deny.deny.id,
        "chain": list(deny.chain),
        "labels": list(deny.labels),
        "pattern": deny.pattern,
        "scopes": [str(s) for s in deny.scopes],
        "text": str(deny),
    }


def _decision_record(decision: Decision) -> dict[str, Any]:
    return {
        "principal": decision.principal,
        "action": decision.action,
        "resource": str(decision.resource),
        "effect": decision.effect.value,
        "allowed": decision.allowed,
        "paths": [_path_record(p) for p in decision.paths],
        "denials": [_deny_record(d) for d in decision.denials],
        "warnings": list(decision.warnings),
        "requirements": [_decision_record(r) for r in decision.requirements],
    }


def _why(decision: Decision) -> list[str]:
    """The deciding reason of a decision, in one or two lines."""
    if decision.requirements:
        lines = []
        for req in decision.requirements:
            mark = "yes" if req.allowed else "no"
            lines.append(f"  {mark}: {req.action} on {req.resource} ({req.effect.value})")
            lines += ["  " + line for line in _why(req)]
        return lines
    if decision.denials:
        return [f"  deny:  {decision.denials[0]}"]
    if decision.paths:
        return [f"  grant: {decision.paths[0]}"]
    return ["  no role assignment or sharing grants it"]


# -- the questions ---------------------------------------------------------------------------------


def _action(text: str, rid: ResourceId | None) -> str:
    if text.lower() != "read":
        return text
    if rid is not None and rid.kind in _READ:
        return _READ[rid.kind]
    return _VERSION_READ


@attrs.frozen
class _Question:
    name: str
    document: dict[str, Any]
    text: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    positive: bool


def _can(ctx: Context, access: Access, inventory: Inventory) -> _Question:
    args = ctx.args
    pid = access.principal(args.principal)
    rid = find_resource(inventory, args.resource, "RESOURCE")
    action = _action(args.action, rid)
    decision = _guard(
        lambda: access.model.can(
            pid, action, rid, at=ctx.at, include_eligible=args.include_eligible
        )
    )
    label = access.label(pid)
    mark = "yes" if decision.allowed else "no"
    verb = "may" if decision.allowed else "may not"
    head = f"{mark}: {label} {verb} {action} on {args.resource} ({decision.effect.value})"
    lines = [head, *(_explained(decision) if args.explain else _why(decision))]
    rows = [
        {
            "principal": pid,
            "label": label,
            "action": action,
            "resource": str(rid),
            "effect": decision.effect.value,
            "allowed": decision.allowed,
            "kind": kind,
            "detail": detail,
        }
        for kind, detail in _details(decision)
    ]
    return _Question(
        "can",
        {
            "principal": {"id": pid, "label": label},
            "action": action,
            "resource": str(rid),
            "allowed": decision.allowed,
            "effect": decision.effect.value,
            "decision": _decision_record(decision),
        },
        "\n".join(lines),
        _DECISION_COLUMNS,
        rows,
        decision.allowed,
    )


def _explained(decision: Decision) -> list[str]:
    return decision.explain().splitlines()[1:]


def _details(decision: Decision) -> Iterator[tuple[str, str]]:
    if decision.requirements:
        for req in decision.requirements:
            yield "requirement", f"{req.action} on {req.resource}: {req.effect.value}"
            yield from _details(req)
        return
    for deny in decision.denials:
        yield "deny", str(deny)
    for path in decision.paths:
        yield "grant", str(path)
    if not decision.denials and not decision.paths:
        yield "none", "no role assignment or sharing grants it"


_DECISION_COLUMNS: Final = (
    "principal",
    "label",
    "action",
    "resource",
    "effect",
    "allowed",
    "kind",
    "detail",
)


def _guard(call: Any) -> Any:
    try:
        return call()
    except ImageGalleryError as err:
        raise InputError("", str(err)) from None


def _principal_type(access: Access, pid: str) -> str | None:
    known = access.model.principals.get(pid.lower())
    return known.type.value if known is not None else None


def _who_can(ctx: Context, access: Access, inventory: Inventory) -> _Question:
    args = ctx.args
    rid = find_resource(inventory, args.resource, "RESOURCE")
    action = _action(args.action, rid)
    found = _guard(
        lambda: access.model.who_can(action, rid, at=ctx.at, include_eligible=args.include_eligible)
    )
    records = []
    for pid in found:
        decision = found[pid]
        record: dict[str, Any] = {
            "id": pid,
            "label": access.label(pid),
            "type": _principal_type(access, pid),
            "effect": decision.effect.value,
        }
        if args.explain:
            record["paths"] = [_path_record(p) for p in decision.paths]
        records.append(record)
    records.sort(key=lambda r: (r["label"].lower(), r["id"].lower()))
    lines = [f"{len(records)} principal(s) may {action} on {args.resource}"]
    if records:
        cells = ([r["label"], r["type"] or "?", r["effect"], r["id"]] for r in records)
        lines += ["", *table(["PRINCIPAL", "TYPE", "EFFECT", "ID"], cells)]
    if args.explain:
        lines += _grant_lines(records, "label")
    rows = _flat_rows(records)
    return _Question(
        "who-can",
        {"action": action, "resource": str(rid), "principals": records},
        "\n".join(lines),
        ("id", "label", "type", "effect", "paths"),
        rows,
        bool(records),
    )


def _grant_lines(records: list[dict[str, Any]], heading: str) -> list[str]:
    """The ``--explain`` text: each record's grant paths under its ``heading`` field."""
    lines: list[str] = []
    for record in records:
        lines += ["", f"{record[heading]}:"]
        lines += [f"  grant: {p['text']}" for p in record["paths"]]
    return lines


def _flat_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """CSV rows of answer records: each path as its text."""
    return [
        {
            **{k: v for k, v in r.items() if k != "paths"},
            "paths": [p["text"] for p in r.get("paths", ())],
        }
        for r in records
    ]


def _what_can(ctx: Context, access: Access, inventory: Inventory) -> _Question:
    args = ctx.args
    pid = access.principal(args.principal)
    action = _action(args.action, None)
    kinds = {
        "gallery": ResourceKind.GALLERY,
        "definition": ResourceKind.IMAGE_DEFINITION,
        "version": ResourceKind.IMAGE_VERSION,
    }
    wanted = [kinds[k] for k in args.kind] if args.kind else None
    found = _guard(
        lambda: access.model.what_can(
            pid, action, at=ctx.at, include_eligible=args.include_eligible, kinds=wanted
        )
    )
    records = []
    for rid in found:
        record: dict[str, Any] = {
            "id": str(rid),
            "kind": rid.kind.value,
            "gallery": rid.gallery,
            "definition": rid.image,
            "version": rid.version,
            "effect": found[rid].effect.value,
        }
        if args.explain:
            record["paths"] = [_path_record(p) for p in found[rid].paths]
        records.append(record)
    label = access.label(pid)
    lines = [f"{label} may {action} on {len(records)} resource(s)"]
    if records:
        cells = (
            [
                r["kind"],
                "/".join(p for p in (r["gallery"], r["definition"], r["version"]) if p),
                r["effect"],
            ]
            for r in records
        )
        lines += ["", *table(["KIND", "RESOURCE", "EFFECT"], cells)]
    if args.explain:
        lines += _grant_lines(records, "id")
    rows = _flat_rows(records)
    return _Question(
        "what-can",
        {"principal": {"id": pid, "label": label}, "action": action, "resources": records},
        "\n".join(lines),
        ("id", "kind", "gallery", "definition", "version", "effect", "paths"),
        rows,
        bool(records),
    )


def _version_for(ctx: Context, inventory: Inventory, text: str) -> ResourceId:
    """A version id, a proxy id, or a definition (its latest version at ``--at``)."""
    rid = find_resource(inventory, text, "VERSION")
    if rid.kind is ResourceKind.IMAGE_DEFINITION:
        definition = inventory.get(rid)
        assert isinstance(definition, ImageDefinition)
        regions = parse_regions(getattr(ctx.args, "region", None))
        try:
            version = resolve_latest(definition, region=regions[0] if regions else None, at=ctx.at)
        except NoEligibleVersionError as err:
            raise InputError("VERSION", f"no latest version to deploy: {err}") from None
        return version.id
    if rid.kind not in (
        ResourceKind.IMAGE_VERSION,
        ResourceKind.SHARED_VERSION,
        ResourceKind.COMMUNITY_VERSION,
    ):
        raise InputError("VERSION", f"not an image version or definition (got {text!r})")
    return rid


def _can_deploy(ctx: Context, access: Access, inventory: Inventory) -> _Question:
    args = ctx.args
    if not access.deploy_target:
        raise InputError("--target", "can-deploy needs --target: where the VM is created")
    pid = access.principal(args.principal)
    version = _version_for(ctx, inventory, args.version)
    target = access.deploy_target
    decision = _guard(
        lambda: access.model.can_deploy(
            pid, version, target, at=ctx.at, include_eligible=args.include_eligible
        )
    )
    label = access.label(pid)
    mark = "yes" if decision.allowed else "no"
    verb = "may" if decision.allowed else "may not"
    head = (
        f"{mark}: {label} {verb} create a VM from {_short(version)} in {target}"
        f" ({decision.effect.value})"
    )
    lines = [head, *(_explained(decision) if args.explain else _why(decision))]
    rows = [
        {
            "principal": pid,
            "label": label,
            "action": "deploy",
            "resource": str(version),
            "effect": decision.effect.value,
            "allowed": decision.allowed,
            "kind": kind,
            "detail": detail,
        }
        for kind, detail in _details(decision)
    ]
    return _Question(
        "can-deploy",
        {
            "principal": {"id": pid, "label": label},
            "resource": str(version),
            "target": target,
            "allowed": decision.allowed,
            "effect": decision.effect.value,
            "decision": _decision_record(decision),
        },
        "\n".join(lines),
        _DECISION_COLUMNS,
        rows,
        decision.allowed,
    )


def _short(rid: ResourceId) -> str:
    if rid.kind is ResourceKind.IMAGE_VERSION:
        return f"{rid.gallery}/{rid.image}/{rid.version}"
    return str(rid)


# -- the summary -----------------------------------------------------------------------------------


@attrs.frozen
class _Latest:
    definition: ImageDefinition
    version: ImageVersion | None
    who: tuple[tuple[str, str, str], ...] = ()
    """``(principal id, label, via)`` of the non-group principals allowed."""
    blocked: tuple[tuple[str, str, str], ...] = ()
    """``(principal id, label, effect)`` of principals held back by a deny, PIM or a condition."""


@attrs.frozen
class Summary:
    """What the access summary shows."""

    access: Access
    at: datetime
    matrix: Any
    latest: tuple[_Latest, ...]
    question: str
    orphans: tuple[str, ...]


def access_summary(
    access: Access,
    inventory: Inventory,
    at: datetime,
    progress: Any,
    *,
    include_eligible: bool = False,
) -> Summary:
    """The sharing matrix, and for each definition who can deploy its latest version (or,
    without a deploy target, read it); ``include_eligible`` counts PIM-eligible grants."""
    from imagegallery.access import Effect, PrincipalType  # noqa: PLC0415 - lazy networkx

    model = access.model
    target = access.deploy_target
    try:
        matrix = model.sharing_matrix(at=at)
    except (ImageGalleryError, ValueError):
        matrix = None
    # Who could be held back: those who may create VMs in the target (eligible and conditional
    # grants counted); a deny, PIM or a condition on reading the image is what stops them.
    people: list[str] = []
    if target:
        writers = model.who_can(
            "Microsoft.Compute/virtualMachines/write",
            target,
            at=at,
            include_eligible=True,
            conditions="grant",
        )
        for key in writers:
            known = model.principals.get(key)
            if known is None or known.type is not PrincipalType.GROUP:
                people.append(key)
    rows: list[_Latest] = []
    definitions = list(inventory.definitions())
    with progress.step("who can deploy the latest versions", total=len(definitions)):
        for definition in definitions:
            progress.advance()
            try:
                version = resolve_latest(definition, at=at)
            except NoEligibleVersionError:
                rows.append(_Latest(definition, None))
                continue
            if target:
                allowed = model.who_can_deploy(
                    version.id, target, at=at, include_eligible=include_eligible
                )
            else:
                allowed = model.who_can(
                    _VERSION_READ, version.id, at=at, include_eligible=include_eligible
                )
            who = []
            for key in allowed:
                known = model.principals.get(key)
                if known is not None and known.is_group:
                    continue
                paths = allowed[key].requirements[0].paths if target else allowed[key].paths
                vias = sorted({p.via for p in paths} - {"rbac"})
                who.append((key, access.label(key), "/".join(vias)))
            blocked = []
            if target:
                held = {k.lower() for k in allowed}
                for person in people:
                    if person.lower() in held:
                        continue
                    effect = model.can_deploy(
                        person, version.id, target, at=at, include_eligible=include_eligible
                    ).effect
                    if effect in (Effect.DENIED, Effect.ELIGIBLE, Effect.CONDITIONAL):
                        blocked.append((person, access.label(person), effect.value))
            rows.append(_Latest(definition, version, tuple(who), tuple(blocked)))
    question = f"create a VM in {target}" if target else "read"
    orphans = tuple(str(o) for o in model.orphans())
    return Summary(access, at, matrix, tuple(rows), question, orphans)


def summary_text(summary: Summary) -> str:
    """The summary as text."""
    access = summary.access
    lines = []
    if access.sample:
        lines.append(f"Sample principals and grants; VMs are created in {access.deploy_target}")
    else:
        lines.append(
            f"Access from the given exports; VMs are created in {access.deploy_target}"
            if access.deploy_target
            else "Access from the given exports (no --target: who can read the latest versions)"
        )
    if summary.matrix is not None:
        lines += ["", "Sharing matrix (Reader granted at one level; what it reaches):"]
        lines += ["  " + row for row in str(summary.matrix).splitlines()]
    verb = "deploy" if access.deploy_target else "read"
    lines += ["", f"Who can {verb} the latest version:"]
    body = []
    for row in summary.latest:
        name = f"{row.definition.id.gallery}/{row.definition.name}"
        if row.version is None:
            body.append([name, "(no eligible version)"])
            continue
        vias = {via for _, _, via in row.who}
        if len(vias) == 1 and "" not in vias:
            text = ", ".join(sorted((label for _, label, _ in row.who), key=str.lower))
            text += f" (via {vias.pop()})"
        else:
            text = ", ".join(
                sorted(
                    (label + (f" (via {via})" if via else "") for _, label, via in row.who),
                    key=str.lower,
                )
            )
        body.append([f"{name} {row.version.name}", text or "nobody"])
    if body:
        lines += ["  " + line for line in table(["DEFINITION", "WHO"], body)[1:]]
    else:
        lines.append("  (no image definitions)")
    held: dict[str, set[str]] = {}
    for row in summary.latest:
        for _pid, label, effect in row.blocked:
            held.setdefault(f"{label}: {effect}", set()).add(
                f"{row.definition.id.gallery}/{row.definition.name}"
            )
    if held:
        lines += ["", "Could deploy but for:"]
        lines += [f"  {who} on {', '.join(sorted(where))}" for who, where in sorted(held.items())]
    if summary.orphans:
        lines += ["", f"Ignored assignments: {len(summary.orphans)} (e.g. {summary.orphans[0]})"]
    return "\n".join(lines)


def summary_document(summary: Summary) -> dict[str, Any]:
    """The summary as the ``summary`` of an ``imagegallery.access/1`` document."""
    matrix = summary.matrix
    return {
        "sample": summary.access.sample,
        "deploy_target": summary.access.deploy_target,
        "question": summary.question,
        "sharing_matrix": [
            {
                "label": row.label,
                "scope": str(row.scope),
                "gallery": row.gallery,
                "definition": row.definition,
                "version": row.version,
            }
            for row in (matrix.rows if matrix is not None else ())
        ],
        "latest": [
            {
                "definition_id": str(row.definition.id),
                "version_id": str(row.version.id) if row.version is not None else None,
                "version": str(row.version.name) if row.version is not None else None,
                "principals": [
                    {"id": pid, "label": label, "via": via or "rbac"} for pid, label, via in row.who
                ],
                "held_back": [
                    {"id": pid, "label": label, "effect": effect}
                    for pid, label, effect in row.blocked
                ],
            }
            for row in summary.latest
        ],
        "orphans": list(summary.orphans),
    }


def _summary_rows(summary: Summary) -> Iterator[dict[str, Any]]:
    for row in summary.latest:
        base = {
            "definition_id": str(row.definition.id),
            "version": str(row.version.name) if row.version is not None else None,
        }
        if not row.who:
            yield {**base, "principal": None, "label": None, "via": None}
        for pid, label, via in row.who:
            yield {**base, "principal": pid, "label": label, "via": via or "rbac"}


# -- the command -----------------------------------------------------------------------------------

_QUESTIONS: Final = {
    "can": (_can, "may PRINCIPAL perform ACTION on RESOURCE? (exit status 1: no)"),
    "who-can": (_who_can, "who may perform ACTION on RESOURCE? (exit status 1: nobody)"),
    "what-can": (_what_can, "on what may PRINCIPAL perform ACTION? (exit status 1: nothing)"),
    "can-deploy": (
        _can_deploy,
        "may PRINCIPAL create a VM from VERSION in --target? (exit status 1: no)",
    ),
}


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    add_input_arguments(parser, positional=False, suppress=suppress)
    add_access_arguments(parser, suppress=suppress)
    parser.add_argument(
        "--explain",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="every grant path and deny, not only the deciding one",
    )
    add_output_arguments(parser, suppress=suppress)


def _arguments(parser: argparse.ArgumentParser) -> None:
    _common(parser, suppress=False)
    questions = parser.add_subparsers(dest="question", metavar="QUESTION", title="questions")
    for name, (_, help_text) in _QUESTIONS.items():
        child = questions.add_parser(
            name,
            help=help_text,
            description=help_text,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog="examples:\n" + _EXAMPLES[name],
        )
        if name in ("can", "what-can", "can-deploy"):
            child.add_argument("principal", metavar="PRINCIPAL", help="a name or an object id")
        if name in ("can", "who-can", "what-can"):
            child.add_argument(
                "action",
                metavar="ACTION",
                help="an Azure action such as Microsoft.Compute/galleries/images/versions/read,"
                " or 'read'",
            )
        if name in ("can", "who-can"):
            child.add_argument(
                "resource", metavar="RESOURCE", help="an id, or GALLERY[/DEFINITION[/VERSION]]"
            )
        if name == "what-can":
            child.add_argument(
                "--kind",
                action="append",
                choices=("gallery", "definition", "version"),
                help="only these kinds of resources (repeatable)",
            )
        if name == "can-deploy":
            child.add_argument(
                "version",
                metavar="VERSION",
                help="an image version id or GALLERY/DEFINITION/VERSION, a shared or community"
                " proxy id, or a definition (its latest version at --at)",
            )
            child.add_argument(
                "--region", action="append", metavar="REGION", help="resolve latest in this region"
            )
        _common(child, suppress=True)


_EXAMPLES: Final = {
    "can": """\
  imagegallery access can Alice read myGallery/myImage1/1.0.10 --explain
  imagegallery access can alice@contoso.com read myGallery/myImage1 \\
      -i export.json --role-assignments ra.json --role-definitions roles.json""",
    "who-can": """\
  imagegallery access who-can read myGallery/myImage1/1.0.10
  imagegallery access who-can Microsoft.Compute/galleries/images/versions/write myGallery \\
      -i export.json --role-assignments ra.json --memberships groups.json --format csv""",
    "what-can": """\
  imagegallery access what-can Carol read --kind version
  imagegallery access what-can 5c3e0b8a-... read -i export.json --role-assignments ra.json""",
    "can-deploy": """\
  imagegallery access can-deploy Dave myGallery/myImage1 \\
      --target /subscriptions/SUB/resourceGroups/rg-apps
  imagegallery access can-deploy deploy-pipeline myGallery/myImage1/1.0.9 --target RG_ID \\
      -i export.json --role-assignments ra.json --explain""",
}


def _summary_question(ctx: Context, access: Access, inventory: Inventory) -> _Question:
    summary = access_summary(
        access,
        inventory,
        ctx.at,
        ctx.progress,
        include_eligible=bool(getattr(ctx.args, "include_eligible", False)),
    )
    return _Question(
        "summary",
        {"summary": summary_document(summary)},
        summary_text(summary),
        ("definition_id", "version", "principal", "label", "via"),
        list(_summary_rows(summary)),
        True,
    )


def _run(ctx: Context) -> Answer:
    inventory = load_inventory(ctx)
    access = _require(ctx, inventory)
    question = getattr(ctx.args, "question", None)
    ask = _QUESTIONS[question][0] if question else _summary_question
    answer = ask(ctx, access, inventory)
    document = {
        "question": answer.name,
        "at": json_value(ctx.at),
        "include_eligible": bool(getattr(ctx.args, "include_eligible", False)),
        "sample": access.sample,
        **answer.document,
    }
    return Answer(
        command="access",
        text=lambda: answer.text,
        document=lambda: document,
        columns=answer.columns,
        rows=lambda: answer.rows,
        status=EXIT_OK if answer.positive else EXIT_NEGATIVE,
    )


COMMAND: Final = Command(
    name="access",
    help="who can see or deploy what, and why (can, who-can, what-can, can-deploy)",
    description="Azure RBAC over the gallery hierarchy, from the access data Azure exports:"
    " grants inherited down scopes, nested groups, wildcard actions, NotActions, deny"
    " assignments, PIM eligibility and windows, direct-shared and community galleries. Without"
    " a question: the sharing matrix and who can deploy (or read) each latest version.",
    examples="""\
  imagegallery access                                        # the sample's access summary
  imagegallery access can Alice read myGallery/myImage1/1.0.10 --explain
  imagegallery access -i export.json --role-assignments ra.json --role-definitions roles.json \\
      --memberships groups.json --target /subscriptions/SUB/resourceGroups/rg-apps
  imagegallery access who-can read myGallery/myImage1/1.0.10 -i export.json \\
      --role-assignments ra.json --format json""",
    arguments=_arguments,
    run=_run,
)
