"""Compound questions: deploying a VM from an image version, and the sharing matrix."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final

from imagegallery.access._effects import Conditions
from imagegallery.access._engine import Engine
from imagegallery.access.actions import DEFINITION_READ, GALLERY_READ, VERSION_READ, VM_WRITE
from imagegallery.access.assignments import RoleAssignment
from imagegallery.access.decision import AccessPath, Decision, Effect
from imagegallery.access.principals import ALL_PRINCIPALS
from imagegallery.access.sharing import SharingMatrix, SharingRow
from imagegallery.errors import InvalidResourceIdError, ResourceNotFoundError
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory

if TYPE_CHECKING:
    from imagegallery.access.model import AccessModel

__all__ = ["can_deploy", "sharing_matrix"]

_VERSION_KINDS: Final = (
    ResourceKind.IMAGE_VERSION,
    ResourceKind.SHARED_VERSION,
    ResourceKind.COMMUNITY_VERSION,
)
_BLOCKING: Final = (Effect.DENIED, Effect.NOT_GRANTED, Effect.ELIGIBLE, Effect.CONDITIONAL)
_RANK: Final = {Effect.ALLOWED: 0, Effect.CONDITIONAL: 1, Effect.ELIGIBLE: 2}
_PROBE: Final = "sharing-matrix-probe"


def identities_in(engine: Engine, key: str, tenant: str | None) -> list[str]:
    """The objects of ``key``'s identity that can act in ``tenant`` (the principal itself when
    tenants are unknown)."""
    principal = engine.principals.get(key)
    if tenant is None or principal is None:
        return [key]
    same = engine.identities.get(principal.identity_key, [key])
    out = [q for q in same if (engine.principals[q].tenant_id or tenant).lower() == tenant]
    return sorted(out, key=lambda q: (q != key, q))


def _best(decisions: list[Decision]) -> Decision:
    for d in decisions:
        if d.allowed:
            return d
    return decisions[0]


def _tenant_of(engine: Engine, rid: ResourceId) -> str | None:
    sub = rid.subscription_id
    return engine.tenants.get(sub.lower()) if sub else None


def _missing_identity(
    shown: str, action: str, rid: ResourceId, at: datetime, tenant: str
) -> Decision:
    return Decision(
        principal=shown,
        action=action,
        resource=rid,
        at=at,
        effect=Effect.NOT_GRANTED,
        allowed=False,
        warnings=(
            f"LinkedAuthorizationFailed: {shown} has no object in tenant {tenant} (no guest"
            " account, no service principal of the same app), so the linked scope cannot be"
            " authorized",
        ),
    )


def _combine(
    shown: str,
    *,
    label: str,
    rid: ResourceId,
    at: datetime,
    parts: tuple[Decision, ...],
    notes: list[str],
) -> Decision:
    if all(p.allowed for p in parts):
        effect = max((p.effect for p in parts), key=lambda e: _RANK.get(e, 0))
        allowed = True
    else:
        effect = next(e for e in _BLOCKING if any(not p.allowed and p.effect is e for p in parts))
        allowed = False
    return Decision(
        principal=shown,
        action="deploy",
        resource=rid,
        at=at,
        effect=effect,
        allowed=allowed,
        paths=tuple(path for p in parts for path in p.paths),
        denials=tuple(d for p in parts for d in p.denials),
        warnings=tuple(dict.fromkeys(notes)),
        requirements=parts,
        label=label,
    )


def _share_read(
    engine: Engine,
    key: str,
    version: ResourceId,
    *,
    gallery_id: ResourceId,
    target: ResourceId,
    at: datetime,
) -> Decision | None:
    """Read granted by community or direct sharing for a deployment into ``target``, if any."""
    shared = engine.sharing.get(gallery_id)
    target_sub = (target.subscription_id or "").lower()
    if shared is None or not (
        shared.is_community or shared.reaches(target_sub, _tenant_of(engine, target))
    ):
        return None
    proxy = shared.proxy_id(shared.real_id(version) if version.kind.is_proxy else version)
    if shared.is_community:
        why, via = "community gallery: open to everyone", "community"
    else:
        whom = "subscription" if target_sub in shared.subscriptions else "tenant"
        why, via = f"directly shared with the target's {whom}", "direct-share"
    shown = engine.display.get(key, key)
    path = AccessPath(
        chain=(shown, ALL_PRINCIPALS),
        labels=(engine.label(key), "Everyone"),
        via=via,
        scopes=(gallery_id, *((proxy,) if proxy is not None else ())),
        effect=Effect.ALLOWED,
        note=f"{why}; deploy with {proxy}",
    )
    return Decision(
        principal=shown,
        action=VERSION_READ,
        resource=version,
        at=at,
        effect=Effect.ALLOWED,
        allowed=True,
        paths=(path,),
        label=engine.label(key),
    )


def can_deploy(
    engine: Engine,
    principal: str,
    version: ResourceId,
    target: ResourceId,
    *,
    at: datetime,
    include_eligible: bool,
    conditions: Conditions,
) -> Decision:
    """See :meth:`AccessModel.can_deploy`."""
    if version.kind not in _VERSION_KINDS:
        raise InvalidResourceIdError(
            "expected an image version id or proxy", field="version", value=str(version)
        )
    if target.kind.is_proxy:
        raise InvalidResourceIdError(
            "a VM target is a subscription or resource group",
            field="target_scope",
            value=str(target),
        )
    key = principal.lower()
    shown = engine.display.get(key, principal)

    def ask(who: str, action: str, rid: ResourceId, *, details: bool = True) -> Decision:
        return engine.decide(
            who,
            action,
            rid,
            at=at,
            include_eligible=include_eligible,
            data=False,
            conditions=conditions,
            details=details,
        )

    notes: list[str] = []
    gallery_id: ResourceId | None
    if version.kind.is_proxy:
        shared = engine.proxy_target(version)
        gallery_id = shared.gallery_id if shared else None
        missing = (
            () if shared else (f"no gallery in the inventory is shared as {version.gallery!r}",)
        )
        read = Decision(
            principal=shown,
            action=VERSION_READ,
            resource=version,
            at=at,
            effect=Effect.NOT_GRANTED,
            allowed=False,
            warnings=missing,
            label=engine.label(key),
        )
    else:
        definition = version.parent
        assert definition is not None
        gallery_id = definition.parent
        tenant = _tenant_of(engine, version)
        ids = identities_in(engine, key, tenant)
        if not ids:
            assert tenant is not None
            read = _missing_identity(shown, VERSION_READ, version, at, tenant)
        else:
            read = _best([ask(q, VERSION_READ, version) for q in ids])
            if read.allowed and not ask(ids[0], DEFINITION_READ, definition, details=False):
                notes.append(
                    "read is granted on the version but not on its image definition"
                    " (Microsoft.Compute/galleries/images/read): tools such as"
                    " 'az vmss create' that read the definition may fail"
                )
    if not read.allowed and read.effect is not Effect.DENIED and gallery_id is not None:
        read = (
            _share_read(engine, key, version, gallery_id=gallery_id, target=target, at=at) or read
        )
    target_tenant = _tenant_of(engine, target)
    ids_target = identities_in(engine, key, target_tenant)
    if not ids_target:
        assert target_tenant is not None
        write = _missing_identity(shown, VM_WRITE, target, at, target_tenant)
    else:
        write = _best([ask(q, VM_WRITE, target) for q in ids_target])
    return _combine(
        shown, label=engine.label(key), rid=version, at=at, parts=(read, write), notes=notes
    )


def _representative(
    engine: Engine, scope: ResourceId
) -> tuple[ResourceId | None, ResourceId | None, ResourceId | None]:
    """A (gallery, definition, version) chain at or under ``scope`` (or above, for a definition
    or version scope)."""
    if scope.kind is ResourceKind.IMAGE_VERSION:
        definition = scope.parent
        assert definition is not None
        return definition.parent, definition, scope
    if scope.kind is ResourceKind.IMAGE_DEFINITION:
        versions = [r for r in engine.scopes.under(scope) if r.kind is ResourceKind.IMAGE_VERSION]
        return scope.parent, scope, versions[0] if versions else None
    under = engine.scopes.under(scope)
    for rid in under:
        if rid.kind is ResourceKind.IMAGE_VERSION:
            definition = rid.parent
            assert definition is not None
            return definition.parent, definition, rid
    galleries = [r for r in under if r.kind is ResourceKind.GALLERY]
    return (galleries[0] if galleries else None), None, None


def _synthetic() -> Inventory:
    from imagegallery.arm import load_arm  # noqa: PLC0415 - only when the inventory is empty

    base = (
        "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg"
        "/providers/Microsoft.Compute/galleries/gallery"
    )
    return load_arm(
        [
            {"id": base, "type": "Microsoft.Compute/galleries", "location": "westeurope"},
            {
                "id": f"{base}/images/image",
                "type": "Microsoft.Compute/galleries/images",
                "location": "westeurope",
                "properties": {
                    "osType": "Linux",
                    "osState": "Generalized",
                    "identifier": {"publisher": "p", "offer": "o", "sku": "s"},
                },
            },
            {
                "id": f"{base}/images/image/versions/1.0.0",
                "type": "Microsoft.Compute/galleries/images/versions",
                "location": "westeurope",
                "properties": {"storageProfile": {}},
            },
        ]
    )


def _can(model: AccessModel, who: str, action: str, rid: ResourceId | None, at: datetime) -> bool:
    return rid is not None and model.can(who, action, rid, at=at).allowed


def sharing_matrix(
    model: AccessModel, engine: Engine, principal: str | None, *, role: str, at: datetime
) -> SharingMatrix:
    """See :meth:`AccessModel.sharing_matrix`."""
    if principal is None:
        found = engine.roles.get(role.lower()) or engine.roles_by_name.get(role.lower())
        if found is None:
            raise ResourceNotFoundError(role, where="the model's role definitions")
        inventory = engine.inventory
        gallery, definition, version = _representative(engine, ResourceId.root())
        if version is None:
            inventory = _synthetic()
            gallery, definition, version = (r for r in _iter(inventory))
        assert gallery is not None
        assert definition is not None
        rows = []
        for label, scope in (
            ("gallery", gallery),
            ("image definition", definition),
            ("image version", version),
        ):
            probe = type(model)(
                inventory,
                role_definitions=model.role_definitions,
                role_assignments=[
                    RoleAssignment(scope=scope, principal_id=_PROBE, role_definition_id=found.id)
                ],
            )
            rows.append(
                SharingRow(
                    label=label,
                    scope=scope,
                    gallery=_can(probe, _PROBE, GALLERY_READ, gallery, at),
                    definition=_can(probe, _PROBE, DEFINITION_READ, definition, at),
                    version=_can(probe, _PROBE, VERSION_READ, version, at),
                )
            )
        return SharingMatrix(rows=tuple(rows))
    key = principal.lower()
    rows = []
    seen: set[tuple[ResourceId, str]] = set()
    for holder in engine.closure(key, at):
        for ra in engine.ra_by_principal.get(holder, ()):
            role_def = engine.role_of(ra)
            assert role_def is not None
            if not any(
                engine.hit(role_def, a.lower(), False)
                for a in (GALLERY_READ, DEFINITION_READ, VERSION_READ)
            ):
                continue
            gallery, definition, version = _representative(engine, ra.scope)
            if gallery is None or (ra.scope, role_def.id) in seen:
                continue
            seen.add((ra.scope, role_def.id))
            via = "" if holder == key else f" via {engine.label(holder)}"
            rows.append(
                SharingRow(
                    label=f"{role_def.name} @ {_short(ra.scope)}{via}",
                    scope=ra.scope,
                    gallery=_can(model, principal, GALLERY_READ, gallery, at),
                    definition=_can(model, principal, DEFINITION_READ, definition, at),
                    version=_can(model, principal, VERSION_READ, version, at),
                )
            )
    rows.sort(key=lambda r: (str(r.scope).lower(), r.label))
    return SharingMatrix(rows=tuple(rows), heading=f"Granted to {engine.label(key)} at")


def _iter(inventory: Inventory) -> list[ResourceId]:
    gallery = next(inventory.galleries())
    definition = next(iter(gallery.definitions.values()))
    version = next(iter(definition.versions.values()))
    return [gallery.id, definition.id, version.id]


def _short(scope: ResourceId) -> str:
    if scope.kind is ResourceKind.GALLERY:
        return scope.name
    if scope.kind is ResourceKind.IMAGE_DEFINITION:
        return f"{scope.gallery}/{scope.image}"
    if scope.kind is ResourceKind.IMAGE_VERSION:
        return f"{scope.gallery}/{scope.image}/{scope.version}"
    return str(scope)
