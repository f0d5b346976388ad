"""Charts of costs, versions, "latest" and access (the ``plot`` extra: matplotlib).

Each function draws one chart and returns its :class:`matplotlib.figure.Figure`; it never calls
``plt.show()`` and never touches pyplot's global state. Pass ``ax=`` to draw into an axes of
your own (a subplot of a larger figure); otherwise a new figure is made, sized to the data.
Notebooks display the returned figure; scripts save it with ``figure.savefig(path)``.

* :func:`cost_chart`: monthly storage (or one-time egress) by region, stacked by storage type;
* :func:`versions_chart`: versions over time, one lane per image definition, with end-of-life
  and excluded-from-latest markers;
* :func:`latest_chart`: what "latest" gives per (definition, region), as a table-like heat map;
* :func:`access_chart`: who reaches one resource, through which groups and grants, and which
  deny assignments block whom.

matplotlib is imported when a chart is first drawn, never by ``import imagegallery``; without
it, :class:`~imagegallery.errors.MissingExtraError` names the extra to install.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.costs import estimate_cost
    >>> figure = cost_chart(estimate_cost(sample_inventory()))
    >>> [text.get_text() for text in figure.axes[0].get_xticklabels()]
    ['westeurope', 'eastus', 'northeurope', 'swedencentral']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from imagegallery.access import VERSION_READ, AccessModel, Decision, Effect, PrincipalType
from imagegallery.costs import CostReport
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    InvalidFieldError,
    InvalidTypeError,
    MissingExtraError,
    NoEligibleVersionError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.regions import normalize_region
from imagegallery.resolve import EndOfLifePolicy, resolve_latest
from imagegallery.version import ImageVersion

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["access_chart", "cost_chart", "latest_chart", "versions_chart"]

_STORAGE_COLORS: Final = {
    "Standard_LRS": "#4e79a7",
    "Standard_ZRS": "#59a14f",
    "Premium_LRS": "#e15759",
    "PremiumV2_LRS": "#b07aa1",
}
_OTHER_COLOR: Final = "#9c9c9c"
_ALLOWED: Final = "#2e7d32"
_PARTIAL: Final = "#ef6c00"
_DENIED: Final = "#c62828"
_NEUTRAL: Final = "#757575"


def _matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401, PLC0415 - the plot extra is optional
    except ImportError:
        raise MissingExtraError(
            "imagegallery.plot needs matplotlib, which is not installed:"
            " pip install 'imagegallery[plot]'",
            name="matplotlib",
        ) from None


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """``ax`` and its (root) figure, or a new figure of ``size`` inches with one axes."""
    _matplotlib()
    from matplotlib.figure import Figure  # noqa: PLC0415

    if ax is None:
        figure = Figure(figsize=size, layout="constrained")
        return figure, figure.add_subplot()
    parent: Any = ax.figure
    while not isinstance(parent, Figure):  # a subfigure: climb to the figure that holds it
        parent = parent.figure
    return parent, ax


# -- costs ----------------------------------------------------------------------------------------


def cost_chart(
    report: CostReport,
    *,
    amount: Literal["monthly", "egress"] = "monthly",
    ax: Axes | None = None,
) -> Figure:
    """Monthly snapshot storage (or one-time egress) per region, stacked by storage type.

    Regions are ordered by their total, highest first; each bar is labelled with its total.

    Args:
        report: The cost report.
        amount: ``"monthly"`` (storage per month) or ``"egress"`` (first copies, once).
        ax: Draw into this axes instead of a new figure.

    Returns:
        The figure.

    Raises:
        InvalidFieldError: ``amount`` is neither.
        MissingExtraError: matplotlib is not installed.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.costs import estimate_cost
        >>> figure = cost_chart(estimate_cost(sample_inventory()), amount="egress")
        >>> figure.axes[0].get_ylabel()
        'USD, once'
    """
    if not isinstance(report, CostReport):
        raise InvalidTypeError("expected a CostReport", field="report", value=report)
    if amount not in ("monthly", "egress"):
        raise InvalidFieldError("use 'monthly' or 'egress'", field="amount", value=amount)
    columns = report.to_columns()
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for region, kind, value in zip(
        columns["region"], columns["storage_type"], columns[amount], strict=True
    ):
        sums[region][kind] += value
    regions = sorted(sums, key=lambda r: (-sum(sums[r].values()), r))
    kinds = sorted({k for per in sums.values() for k in per})
    figure, ax = _axes(ax, (max(4.0, 1.1 * len(regions) + 2.5), 4.0))
    from matplotlib.ticker import StrMethodFormatter  # noqa: PLC0415 - after _axes checked the extra

    bottoms = [0.0] * len(regions)
    for kind in kinds:
        heights = [float(sums[r].get(kind, 0)) for r in regions]
        ax.bar(
            regions,
            heights,
            bottom=bottoms,
            label=kind,
            color=_STORAGE_COLORS.get(kind, _OTHER_COLOR),
        )
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    for x, total in enumerate(bottoms):
        ax.annotate(
            f"{total:,.2f}",
            (x, total),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    what = "Monthly snapshot storage" if amount == "monthly" else "One-time egress of first copies"
    ax.set_title(f"{what} by region and storage type")
    ax.set_ylabel(
        f"{report.currency} per month" if amount == "monthly" else f"{report.currency}, once"
    )
    ax.set_xlabel("region")
    ax.set_ylim(0, max(bottoms, default=0.0) * 1.15 or 1.0)
    ax.yaxis.set_major_formatter(
        StrMethodFormatter("{x:,.0f}" if max(bottoms, default=0) >= 100 else "{x:,.2f}")
    )
    if kinds:
        ax.legend(title="storage type", fontsize=8, title_fontsize=8)
    ax.tick_params(axis="x", labelrotation=30 if len(regions) > 4 else 0)
    return figure


# -- versions over time --------------------------------------------------------------------------


def _definitions(target: object) -> list[ImageDefinition]:
    if isinstance(target, ImageDefinition):
        return [target]
    if isinstance(target, Gallery):
        return list(target.definitions.values())
    if isinstance(target, Inventory):
        return list(target.definitions())
    if isinstance(target, Iterable) and not isinstance(target, str | bytes):
        items = list(target)
        if all(isinstance(d, ImageDefinition) for d in items):
            return items
    raise InvalidTypeError(
        "expected an Inventory, a Gallery, an ImageDefinition or image definitions",
        field="target",
        value=type(target).__name__,
    )


def _lane(definition: ImageDefinition) -> str:
    return f"{definition.gallery_id.name}/{definition.name}"


def _excluded_everywhere(version: ImageVersion) -> bool:
    names = version.region_names
    if not names:
        return version.exclude_from_latest
    return all(version.excluded_from_latest_in(r) for r in names)


def versions_chart(
    target: Inventory | Gallery | ImageDefinition | Iterable[ImageDefinition],
    *,
    at: datetime | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Image versions over time: one lane per definition, one marker per published version.

    A version's end of life is an ``x`` joined to its publication by a line; a version excluded
    from latest (in every target region) has a hollow marker; a definition's own end of life is
    a bar across its lane; ``at`` (default now) is a dashed vertical line. Versions without a
    published date cannot be placed and are counted in the title.

    Args:
        target: An inventory, a gallery, a definition, or definitions.
        at: The moment to mark (timezone-aware); defaults to now.
        ax: Draw into this axes instead of a new figure.

    Returns:
        The figure.

    Raises:
        InvalidTypeError: ``target`` is none of those.
        MissingExtraError: matplotlib is not installed.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> figure = versions_chart(sample_inventory(), at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> [t.get_text() for t in figure.axes[0].get_yticklabels()][:2]
        ['myGallery/myImage1', 'myGallery/myImage2']
    """
    definitions = _definitions(target)
    moment = at if at is not None else datetime.now(UTC)
    figure, ax = _axes(ax, (9.0, max(2.5, 0.45 * len(definitions) + 1.6)))
    from matplotlib import dates  # noqa: PLC0415 - after _axes checked the extra

    date2num = cast(Callable[[datetime], float], dates.date2num)

    unplaced = 0
    kept: dict[str, list[Any]] = defaultdict(list)
    for lane, definition in enumerate(definitions):
        versions = list(definition.versions.values())
        for n, version in enumerate(versions):
            if version.published_date is None:
                unplaced += 1
                continue
            published = date2num(version.published_date)
            y = lane + (n % 3 - 1) * 0.18
            excluded = _excluded_everywhere(version)
            if version.end_of_life_date is not None:
                eol = date2num(version.end_of_life_date)
                ax.plot([published, eol], [y, y], color=_NEUTRAL, linewidth=0.8, zorder=1)
                kept["eol"].append(ax.scatter([eol], [y], marker="x", color=_DENIED, zorder=3))
            marker = ax.scatter(
                [published],
                [y],
                marker="o",
                s=36,
                facecolors="white" if excluded else "#1565c0",
                edgecolors="#1565c0",
                zorder=4,
            )
            kept["excluded" if excluded else "published"].append(marker)
            if len(versions) <= 6:
                ax.annotate(
                    str(version.name),
                    (published, y),
                    xytext=(3, 4),
                    textcoords="offset points",
                    fontsize=7,
                )
        if definition.end_of_life_date is not None:
            kept["definition_eol"].append(
                ax.scatter(
                    [date2num(definition.end_of_life_date)],
                    [lane],
                    marker="|",
                    s=400,
                    color="black",
                )
            )
    kept["at"].append(ax.axvline(date2num(moment), color=_PARTIAL, linestyle="--", linewidth=1))
    ax.xaxis_date(tz=UTC)
    ax.set_yticks(range(len(definitions)), [_lane(d) for d in definitions])
    ax.set_ylim(len(definitions) - 0.5, -0.5)
    labels = {
        "published": "published version",
        "excluded": "excluded from latest",
        "eol": "version end of life",
        "definition_eol": "definition end of life",
        "at": f"at {moment:%Y-%m-%d}",
    }
    ax.legend(
        [kept[k][0] for k in labels if kept[k]],
        [text for k, text in labels.items() if kept[k]],
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    title = "Image versions over time"
    if unplaced:
        title += f" ({unplaced} without a published date not shown)"
    ax.set_title(title)
    ax.set_xlabel("published (and end of life)")
    ax.grid(axis="x", alpha=0.3)
    return figure


# -- latest per definition and region ------------------------------------------------------------

_CURRENT, _OLDER, _NONE, _ABSENT = 0, 1, 2, 3
_LATEST_COLORS: Final = ("#a5d6a7", "#ffcc80", "#ef9a9a", "#f5f5f5")
_LATEST_LABELS: Final = (
    "latest is the highest eligible version",
    "latest is an older version here",
    "no eligible version (deployments fail)",
    "not a target region",
)


def _latest_in(
    definition: ImageDefinition, region: str | None, at: datetime, policy: EndOfLifePolicy
) -> ImageVersion | None:
    try:
        return resolve_latest(definition, region=region, at=at, end_of_life=policy)
    except NoEligibleVersionError:
        return None


def latest_chart(
    target: Inventory | Gallery | ImageDefinition | Iterable[ImageDefinition],
    *,
    at: datetime | None = None,
    end_of_life: EndOfLifePolicy = "skip",
    regions: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """What "latest" gives per (definition, region), as a table-like heat map.

    Each cell holds the version :func:`~imagegallery.resolve.resolve_latest` gives there (with
    replication required). Green: the definition's highest eligible version anywhere; orange:
    an older one (replication pending, a regional exclusion ...); red: none, so deployments
    there fail; grey: no version of the definition targets the region.

    Args:
        target: An inventory, a gallery, a definition, or definitions.
        at: The moment of the question (timezone-aware); defaults to now.
        end_of_life: As in :func:`~imagegallery.resolve.resolve_latest`.
        regions: The columns (any spelling); defaults to every target region, sorted.
        ax: Draw into this axes instead of a new figure.

    Returns:
        The figure.

    Raises:
        InvalidTypeError: ``target`` is none of those.
        MissingExtraError: matplotlib is not installed.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> figure = latest_chart(sample_inventory(), at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> cells = {t.get_text() for t in figure.axes[0].texts}
        >>> "1.0.9" in cells, "none" in cells
        (True, True)
    """
    definitions = _definitions(target)
    moment = at if at is not None else datetime.now(UTC)
    if regions is None:
        columns = sorted(
            {r for d in definitions for v in d.versions.values() for r in v.region_names}
        )
    else:
        columns = [normalize_region(r) for r in regions]
    codes: list[list[int]] = []
    texts: list[list[str]] = []
    for definition in definitions:
        best = _latest_in(definition, None, moment, end_of_life)
        targeted = {r for v in definition.versions.values() for r in v.region_names}
        row_codes, row_texts = [], []
        for region in columns:
            if region not in targeted:
                row_codes.append(_ABSENT)
                row_texts.append("")
                continue
            found = _latest_in(definition, region, moment, end_of_life)
            if found is None:
                row_codes.append(_NONE)
                row_texts.append("none")
            else:
                row_codes.append(_CURRENT if best is not None and found.id == best.id else _OLDER)
                row_texts.append(str(found.name))
        codes.append(row_codes)
        texts.append(row_texts)
    _matplotlib()
    from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415

    figure, ax = _axes(
        ax, (max(4.5, 1.25 * len(columns) + 3.5), max(2.2, 0.42 * len(definitions) + 1.6))
    )
    cmap = ListedColormap(list(_LATEST_COLORS))
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], cmap.N)
    if definitions and columns:
        ax.imshow(codes, cmap=cmap, norm=norm, aspect="auto")
    for y, row in enumerate(texts):
        for x, text in enumerate(row):
            if text:
                ax.text(x, y, text, ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(definitions)), [_lane(d) for d in definitions])
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", labelrotation=30 if len(columns) > 4 else 0)
    ax.set_xticks([x - 0.5 for x in range(1, len(columns))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(definitions))], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    ax.set_title(f'What "latest" gives at {moment:%Y-%m-%d}', pad=12)
    ax.legend(
        handles=[
            Patch(color=c, label=t) for c, t in zip(_LATEST_COLORS, _LATEST_LABELS, strict=True)
        ],
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    return figure


# -- access around one resource ------------------------------------------------------------------


def _askers(model: AccessModel) -> list[str]:
    """Users and service principals the model knows: the directory (groups left out), group
    members and assignment holders that are not groups."""
    directory = model.principals
    found: dict[str, str] = {}

    def add(key: str) -> None:
        principal = directory.get(key)
        if principal is not None and principal.type in (
            PrincipalType.GROUP,
            PrincipalType.FOREIGN_GROUP,
        ):
            return
        if principal is None and any(m.group_id.lower() == key.lower() for m in model.memberships):
            return
        found.setdefault(key.lower(), key)

    for key in directory:
        add(key)
    for membership in model.memberships:
        add(membership.member_id)
    for assignment in model.role_assignments:
        add(assignment.principal_id)
    return sorted(found.values(), key=lambda k: directory[k].label.lower() if k in directory else k)


def access_chart(
    model: AccessModel,
    resource: str | ResourceId,
    *,
    action: str = VERSION_READ,
    at: datetime | None = None,
    include_eligible: bool = False,
    principals: Iterable[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Who reaches one resource for ``action``, through which groups and grants, and who is
    denied.

    Columns, left to right: the principals asked about (coloured by their answer: allowed,
    eligible or conditional, denied, not granted), the groups their grants come through, the
    grants (role and scope) and deny assignments, and the resource. Grant edges are green
    (orange when eligible or conditional); deny edges are red, dashed and labelled ``deny``.
    Principals that no grant or deny reaches are left out.

    Args:
        model: The access model.
        resource: The resource (any scope id or proxy id).
        action: The action; reading the image version by default.
        at: The moment (timezone-aware); defaults to now.
        include_eligible: Let PIM-eligible grants count (see :meth:`AccessModel.can`).
        principals: Whom to ask about; defaults to every user and service principal the model
            knows (the directory, group members, assignment holders).
        ax: Draw into this axes instead of a new figure.

    Returns:
        The figure.

    Raises:
        MissingExtraError: matplotlib is not installed.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.access import sample_access_model
        >>> version = next(sample_inventory().versions()).id
        >>> figure = access_chart(sample_access_model(sample_inventory()), version)
        >>> labels = {t.get_text() for t in figure.axes[0].texts}
        >>> "Dave" in labels, "deny" in labels
        (True, True)
    """
    rid = ResourceId.parse(resource)
    asked = list(principals) if principals is not None else _askers(model)
    decisions = [model.can(p, action, rid, at=at, include_eligible=include_eligible) for p in asked]
    shown = [d for d in decisions if d.paths or d.denials]
    graph = _AccessLayout(rid)
    for decision in shown:
        graph.add(decision)
    _matplotlib()
    figure, ax = _axes(ax, (11.0, max(3.0, 0.5 * graph.height + 1.4)))
    graph.draw(ax)
    verb = action.rsplit("/", 2)[-2:] if action.count("/") >= 2 else [action]
    ax.set_title(f"Who can {'/'.join(verb)} {rid.name or rid}")
    return figure


class _AccessLayout:
    """Nodes in four columns and the edges between them, for :func:`access_chart`."""

    def __init__(self, resource: ResourceId) -> None:
        self.resource = resource
        self.columns: list[dict[str, tuple[str, str]]] = [{}, {}, {}, {}]
        self.columns[3]["resource"] = (str(resource.name or resource), "#e3f2fd")
        self.edges: dict[tuple[str, str], tuple[str, str, str | None]] = {}

    @property
    def height(self) -> int:
        return max(len(c) for c in self.columns)

    def node(self, column: int, key: str, label: str, color: str) -> str:
        self.columns[column].setdefault(key, (label, color))
        return key

    def edge(self, a: str, b: str, color: str, style: str, label: str | None = None) -> None:
        known = self.edges.get((a, b))
        if known is None or (known[1] != "-" and style == "-"):  # an active grant wins
            self.edges[(a, b)] = (color, style, label)

    def add(self, decision: Decision) -> None:
        color = {
            Effect.ALLOWED: _ALLOWED,
            Effect.DENIED: _DENIED,
            Effect.ELIGIBLE: _PARTIAL,
            Effect.CONDITIONAL: _PARTIAL,
        }.get(decision.effect, _NEUTRAL)
        me = self.node(
            0, decision.principal.lower(), decision.label or decision.principal, _tint(color)
        )
        for path in decision.paths:
            last = self._chain(me, path.chain, path.labels)
            scope = path.scopes[0].name if path.scopes else ""
            what = (
                f"{path.role.name} @ {scope}" if path.role is not None else f"{path.via} @ {scope}"
            )
            grant = self.node(2, f"grant:{what}", what, "#e8f5e9")
            partial = path.effect is not Effect.ALLOWED
            line = _PARTIAL if partial else _ALLOWED
            self.edge(last, grant, line, "--" if partial else "-")
            self.edge(grant, "resource", line, "--" if partial else "-")
        for deny in decision.denials:
            last = self._chain(me, deny.chain, deny.labels)
            scope = deny.scopes[0].name if deny.scopes else ""
            what = f"DENY {deny.deny.label} @ {scope}"
            node = self.node(2, f"deny:{deny.deny.id or what}", what, "#ffebee")
            self.edge(last, node, _DENIED, "--", "deny")
            self.edge(node, "resource", _DENIED, "--")

    def _chain(self, me: str, chain: Sequence[str], labels: Sequence[str]) -> str:
        last = me
        for key, label in zip(chain[1:], labels[1:], strict=False):
            node = self.node(1, key.lower(), label, "#f3e5f5")
            self.edge(last, node, _NEUTRAL, "-")
            last = node
        return last

    def draw(self, ax: Axes) -> None:
        height = max(self.height, 1)
        where: dict[str, tuple[float, float]] = {}
        for x, column in enumerate(self.columns):
            count = len(column)
            for i, key in enumerate(column):
                where[key] = (x * 3.0, (count - 1) / 2 - i)
        for (a, b), (color, style, label) in self.edges.items():
            (xa, ya), (xb, yb) = where[a], where[b]
            same = abs(xa - xb) < 1e-9
            ax.annotate(
                "",
                xy=(xb, yb),
                xytext=(xa, ya),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": color,
                    "linestyle": style,
                    "shrinkA": 28,
                    "shrinkB": 28,
                    "connectionstyle": "arc3,rad=0.35" if same else "arc3,rad=0.0",
                },
            )
            if label:
                ax.text(
                    (xa + xb) / 2,
                    (ya + yb) / 2,
                    label,
                    color=color,
                    fontsize=8,
                    ha="center",
                    va="bottom",
                    fontweight="bold",
                )
        for column in self.columns:
            for key, (label, color) in column.items():
                ax.text(
                    *where[key],
                    label,
                    ha="center",
                    va="center",
                    fontsize=8,
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": color, "edgecolor": "#9e9e9e"},
                )
        for x, title in enumerate(("principal", "through groups", "grant or deny", "resource")):
            ax.text(
                x * 3.0,
                height / 2 + 0.1,
                title,
                ha="center",
                va="bottom",
                fontsize=9,
                color=_NEUTRAL,
            )
        ax.set_xlim(-1.6, 10.6)
        ax.set_ylim(-height / 2 - 0.2, height / 2 + 0.6)
        ax.axis("off")


def _tint(color: str) -> str:
    """A light version of ``color`` for node backgrounds."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c + (255 - c) * 0.75):02x}" for c in (red, green, blue))
