"""Who can see and deploy which gallery, image definition and image version, and why.

An Azure RBAC access model over the gallery hierarchy, kept on networkx. Start with
:meth:`AccessModel.from_azure`; ask :meth:`~AccessModel.can`, :meth:`~AccessModel.who_can`,
:meth:`~AccessModel.what_can`, :meth:`~AccessModel.can_deploy` and
:meth:`~AccessModel.sharing_matrix`.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.access import VERSION_READ, sample_access_model
    >>> model = sample_access_model(sample_inventory())
    >>> gallery = next(sample_inventory().galleries())
    >>> version = gallery.definitions["myImage1"].versions["1.0.10"].id
    >>> [model.principals[k].label for k in model.who_can(VERSION_READ, version)][:3]
    ['Alice', 'Bob', 'Sam (security)']
"""

from __future__ import annotations

from imagegallery.access.actions import (
    DEFINITION_READ,
    GALLERY_READ,
    GALLERY_SHARE,
    ROLE_ASSIGNMENT_WRITE,
    VERSION_READ,
    VERSION_WRITE,
    VM_WRITE,
    action_matches,
)
from imagegallery.access.decision import AccessMap, AccessPath, Decision, DenyPath, Effect, Orphan
from imagegallery.access.loaders import (
    load_deny_assignments,
    load_directory,
    load_management_groups,
    load_memberships,
    load_role_assignments,
    load_role_definitions,
    load_subscriptions,
)
from imagegallery.access.model import AccessModel
from imagegallery.access.records import (
    ALL_PRINCIPALS,
    BUILTIN_ROLE_IDS,
    AssignmentKind,
    DenyAssignment,
    Membership,
    Permission,
    Principal,
    PrincipalType,
    RoleAssignment,
    RoleDefinition,
    builtin_role,
    builtin_roles,
    extension_scope,
)
from imagegallery.access.sample import sample_access_model
from imagegallery.access.sharing import (
    DIRECT_SHARE_MAX_SUBSCRIPTIONS,
    DIRECT_SHARE_MAX_TENANTS,
    GallerySharing,
    SharingMatrix,
    SharingRow,
)

__all__ = [
    "ALL_PRINCIPALS",
    "BUILTIN_ROLE_IDS",
    "DEFINITION_READ",
    "DIRECT_SHARE_MAX_SUBSCRIPTIONS",
    "DIRECT_SHARE_MAX_TENANTS",
    "GALLERY_READ",
    "GALLERY_SHARE",
    "ROLE_ASSIGNMENT_WRITE",
    "VERSION_READ",
    "VERSION_WRITE",
    "VM_WRITE",
    "AccessMap",
    "AccessModel",
    "AccessPath",
    "AssignmentKind",
    "Decision",
    "DenyAssignment",
    "DenyPath",
    "Effect",
    "GallerySharing",
    "Membership",
    "Orphan",
    "Permission",
    "Principal",
    "PrincipalType",
    "RoleAssignment",
    "RoleDefinition",
    "SharingMatrix",
    "SharingRow",
    "action_matches",
    "builtin_role",
    "builtin_roles",
    "extension_scope",
    "load_deny_assignments",
    "load_directory",
    "load_management_groups",
    "load_memberships",
    "load_role_assignments",
    "load_role_definitions",
    "load_subscriptions",
    "sample_access_model",
]


def __dir__() -> list[str]:
    return list(__all__)
