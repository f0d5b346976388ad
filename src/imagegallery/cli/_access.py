"""The access section of the command-line report: the sharing matrix, and who can deploy each
image definition's latest version, over the sample access facts."""

from __future__ import annotations

from datetime import datetime

from imagegallery.access import Effect, PrincipalType, sample_access_model
from imagegallery.access.sample import SAMPLE_DEPLOY_TARGET
from imagegallery.definition import ImageDefinition
from imagegallery.errors import ImageGalleryError
from imagegallery.inventory import Inventory
from imagegallery.version import ImageVersion

__all__ = ["latest_version", "render_access_report"]


def latest_version(definition: ImageDefinition, *, at: datetime) -> ImageVersion | None:
    """The version "latest" gives for ``definition`` (any region), or ``None``.

    Uses :func:`imagegallery.resolve.resolve_latest` when it is available; otherwise the highest
    version whose version-level exclude-from-latest flag is off.

    Example:
        >>> from datetime import datetime, timezone
        >>> from imagegallery import sample_inventory
        >>> gallery = next(sample_inventory().galleries())
        >>> d = gallery.definitions["myImage3"]
        >>> str(latest_version(d, at=datetime(2025, 6, 1, tzinfo=timezone.utc)).name)
        '0.2.0'
    """
    try:
        from imagegallery.resolve import resolve_latest  # noqa: PLC0415 - optional, lazy
    except ImportError:
        candidates = [v for v in definition.versions.values() if not v.exclude_from_latest]
        return candidates[-1] if candidates else None
    try:
        return resolve_latest(definition, at=at)
    except ImageGalleryError:
        return None


def render_access_report(inventory: Inventory, *, at: datetime) -> str:
    """The access report on ``inventory`` with the sample access facts.

    Prints the sharing matrix computed by the model, then, for each image definition, who can
    create a VM from its latest version in the sample's deployment resource group, and why some
    principals cannot.

    Args:
        inventory: The inventory (meant for :func:`imagegallery.sample_inventory`).
        at: The moment of the question (timezone-aware).

    Example:
        >>> from datetime import datetime, timezone
        >>> from imagegallery import sample_inventory
        >>> at = datetime(2025, 6, 1, tzinfo=timezone.utc)
        >>> print(render_access_report(sample_inventory(), at=at).splitlines()[0])
        Sample principals and grants; VMs are created in /subscriptions/.../resourceGroups/rg-apps
    """
    model = sample_access_model(inventory)
    lines = [
        f"Sample principals and grants; VMs are created in {SAMPLE_DEPLOY_TARGET}",
        "",
        "Sharing matrix (Reader granted at one level; what it reaches):",
        *("  " + row for row in str(model.sharing_matrix(at=at)).splitlines()),
        "",
        "Who can deploy the latest version:",
    ]
    rows: list[tuple[str, str]] = []
    blocked: dict[str, set[str]] = {}
    principals = [p for p in model.principals.values() if p.type is not PrincipalType.GROUP]
    for definition in inventory.definitions():
        version = latest_version(definition, at=at)
        name = f"{definition.id.gallery}/{definition.name}"
        if version is None:
            rows.append((name, "(no eligible version)"))
            continue
        allowed = model.who_can_deploy(version.id, SAMPLE_DEPLOY_TARGET, at=at)
        named: list[tuple[str, str]] = []
        for key in allowed:
            decision = allowed[key]
            principal = model.principals.get(key.lower())
            if principal is None or principal.type is PrincipalType.GROUP:
                continue
            vias = {p.via for p in decision.requirements[0].paths} - {"rbac"}
            named.append((principal.label, "/".join(sorted(vias))))
        shared = {via for _, via in named}
        if len(shared) == 1 and "" not in shared:
            names = [label for label, _ in named]
            suffix = f" (via {shared.pop()})"
        else:
            names = [label + (f" (via {via})" if via else "") for label, via in named]
            suffix = ""
        for principal in principals:
            if principal.key in {k.lower() for k in allowed}:
                continue
            effect = model.can_deploy(principal.id, version.id, SAMPLE_DEPLOY_TARGET, at=at).effect
            if effect in (Effect.DENIED, Effect.ELIGIBLE, Effect.CONDITIONAL):
                blocked.setdefault(f"{principal.label}: {effect.value}", set()).add(name)
        text = ", ".join(sorted(names, key=str.lower)) or "nobody"
        rows.append((f"{name} {version.name}", text + suffix))
    width = max((len(left) for left, _ in rows), default=0) + 2
    lines += [f"  {left:<{width}}{right}" for left, right in rows] or ["  (no image definitions)"]
    if blocked:
        lines += ["", "Could deploy but for:"]
        lines += [
            f"  {who} on {', '.join(sorted(where))}" for who, where in sorted(blocked.items())
        ]
    orphans = model.orphans()
    if orphans:
        lines += ["", f"Ignored assignments: {len(orphans)} (e.g. {orphans[0].reason})"]
    return "\n".join(lines)
