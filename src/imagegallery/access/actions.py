"""Action strings: the gallery operations, and Azure's wildcard matching of permission patterns.

An action has the form ``{Company}.{Provider}/{resourceType}[/{childType}...]/{verb}``. Permission
patterns may contain ``*``, which matches any run of characters, ``/`` included; matching ignores
case ("Permission strings are case-insensitive").

Example:
    >>> from imagegallery.access.actions import VERSION_READ, action_matches
    >>> action_matches("*/read", VERSION_READ)
    True
    >>> action_matches("Microsoft.Compute/galleries/*", "microsoft.compute/GALLERIES/share/action")
    True
    >>> action_matches("Microsoft.Compute/galleries/images/*", "Microsoft.Compute/galleries/read")
    False
"""

from __future__ import annotations

import re
from typing import Final

from imagegallery.errors import InvalidActionError
from imagegallery.ids import ResourceKind

__all__ = [
    "COMMUNITY_GALLERY_READ",
    "COMMUNITY_IMAGE_READ",
    "COMMUNITY_VERSION_READ",
    "DEFINITION_DELETE",
    "DEFINITION_READ",
    "DEFINITION_WRITE",
    "GALLERY_DELETE",
    "GALLERY_READ",
    "GALLERY_SHARE",
    "GALLERY_WRITE",
    "ROLE_ASSIGNMENT_WRITE",
    "SHARED_GALLERY_READ",
    "SHARED_IMAGE_READ",
    "SHARED_VERSION_READ",
    "VERSION_DELETE",
    "VERSION_READ",
    "VERSION_WRITE",
    "VM_WRITE",
    "action_matches",
    "glob_matches",
    "is_read_action",
    "read_action_for",
    "validate_action",
]

GALLERY_READ: Final = "Microsoft.Compute/galleries/read"
GALLERY_WRITE: Final = "Microsoft.Compute/galleries/write"
GALLERY_DELETE: Final = "Microsoft.Compute/galleries/delete"
GALLERY_SHARE: Final = "Microsoft.Compute/galleries/share/action"
"""Direct and community sharing: Owner or Compute Gallery Sharing Admin, not Contributor."""
DEFINITION_READ: Final = "Microsoft.Compute/galleries/images/read"
DEFINITION_WRITE: Final = "Microsoft.Compute/galleries/images/write"
DEFINITION_DELETE: Final = "Microsoft.Compute/galleries/images/delete"
VERSION_READ: Final = "Microsoft.Compute/galleries/images/versions/read"
"""The action ARM checks on the source image when a VM is created from a gallery version."""
VERSION_WRITE: Final = "Microsoft.Compute/galleries/images/versions/write"
VERSION_DELETE: Final = "Microsoft.Compute/galleries/images/versions/delete"
VM_WRITE: Final = "Microsoft.Compute/virtualMachines/write"
"""Creating a VM: checked on the target scope."""
ROLE_ASSIGNMENT_WRITE: Final = "Microsoft.Authorization/roleAssignments/write"
"""Sharing through RBAC means creating role assignments."""
SHARED_GALLERY_READ: Final = "Microsoft.Compute/locations/sharedGalleries/read"
SHARED_IMAGE_READ: Final = "Microsoft.Compute/locations/sharedGalleries/images/read"
SHARED_VERSION_READ: Final = "Microsoft.Compute/locations/sharedGalleries/images/versions/read"
COMMUNITY_GALLERY_READ: Final = "Microsoft.Compute/locations/communityGalleries/read"
COMMUNITY_IMAGE_READ: Final = "Microsoft.Compute/locations/communityGalleries/images/read"
COMMUNITY_VERSION_READ: Final = (
    "Microsoft.Compute/locations/communityGalleries/images/versions/read"
)

_READ_BY_KIND: Final = {
    ResourceKind.GALLERY: GALLERY_READ,
    ResourceKind.IMAGE_DEFINITION: DEFINITION_READ,
    ResourceKind.IMAGE_VERSION: VERSION_READ,
    ResourceKind.SHARED_GALLERY: SHARED_GALLERY_READ,
    ResourceKind.SHARED_IMAGE: SHARED_IMAGE_READ,
    ResourceKind.SHARED_VERSION: SHARED_VERSION_READ,
    ResourceKind.COMMUNITY_GALLERY: COMMUNITY_GALLERY_READ,
    ResourceKind.COMMUNITY_IMAGE: COMMUNITY_IMAGE_READ,
    ResourceKind.COMMUNITY_VERSION: COMMUNITY_VERSION_READ,
}
_BAD: Final = re.compile(r"\s")


def validate_action(action: object, *, field: str = "action") -> str:
    """Check an action string or permission pattern and return it unchanged.

    Raises:
        InvalidActionError: ``action`` is not a non-empty string without whitespace.

    Example:
        >>> validate_action("Microsoft.Compute/galleries/read")
        'Microsoft.Compute/galleries/read'
        >>> validate_action("galleries read")
        Traceback (most recent call last):
        ...
        imagegallery.errors.InvalidActionError: action: ... (got 'galleries read')
    """
    if type(action) is not str or not action or _BAD.search(action):
        raise InvalidActionError(
            "an action is a non-empty string without spaces, such as"
            " 'Microsoft.Compute/galleries/images/versions/read'",
            field=field,
            value=action,
        )
    return action


def glob_matches(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches all of ``text``, ``*`` standing for any run of characters
    (exact comparison otherwise; both are taken as given).

    The pieces of ``pattern`` between stars are found in ``text`` left to right, each at its
    first place after the previous one (the first such place is never a worse choice when the
    only wildcard is ``*``), the first piece anchored at the start and the last at the end. Each
    search starts where the previous one stopped, so the time is bounded by the length of
    ``text`` times the length of the longest piece, however many stars there are: no regular
    expression, no backtracking.

    Example:
        >>> glob_matches("a*b*c", "axxbyyc"), glob_matches("a*b*c", "axxcyyb")
        (True, False)
        >>> glob_matches("*" * 100 + "x", "y" * 10_000)
        False
    """
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return pattern == text
    first, *middle, last = pieces
    end = len(text) - len(last)
    if end < len(first) or not text.startswith(first) or not text.endswith(last):
        return False
    at = len(first)
    for piece in middle:
        if piece:
            found = text.find(piece, at, end)
            if found < 0:
                return False
            at = found + len(piece)
    return True


def action_matches(pattern: str, action: str) -> bool:
    """Whether the permission ``pattern`` covers ``action`` (``*`` spans ``/``; case ignored).

    Any number of ``*`` is accepted (the documentation disagrees on whether custom roles may use
    more than one; :meth:`RoleDefinition.problems` flags it); the number of stars does not
    change how long matching takes (see :func:`glob_matches`).

    Example:
        >>> action_matches("Microsoft.Compute/*/read", "Microsoft.Compute/galleries/images/read")
        True
        >>> action_matches("*", "Microsoft.Authorization/roleAssignments/write")
        True
    """
    return glob_matches(pattern.lower(), action.lower())


def is_read_action(action: str) -> bool:
    """Whether ``action`` is a read (its verb is ``read``).

    Example:
        >>> is_read_action("Microsoft.Compute/galleries/images/versions/read"), is_read_action("*")
        (True, False)
    """
    return action.lower().endswith("/read")


def read_action_for(kind: ResourceKind) -> str:
    """The read action of a gallery, definition or version id kind (or of a proxy kind).

    Raises:
        InvalidActionError: ``kind`` is not a gallery-hierarchy kind.

    Example:
        >>> read_action_for(ResourceKind.IMAGE_DEFINITION)
        'Microsoft.Compute/galleries/images/read'
    """
    try:
        return _READ_BY_KIND[kind]
    except KeyError:
        raise InvalidActionError(
            "only galleries, image definitions, image versions and their proxies have a read"
            " action here",
            field="kind",
            value=kind,
        ) from None
