"""The embedded sample inventory: small, realistic, and exercising every rule.

Two subscriptions and three galleries:

* ``myGallery`` (subscription ``1111...``, West Europe, private): the product documents' example
  definitions ``myImage1`` (Contoso/Finance/Backend), ``myImage2`` (Contoso/Finance/Frontend) and
  ``myImage3`` (Testing/Finance/Frontend). ``myImage1`` holds ``1.0.9`` and ``1.0.10`` (the pair
  that string order gets wrong), ``1.0.0`` past its end of life, ``1.0.10`` still replicating to
  East US, and ``1.1.0`` excluded from latest everywhere but North Europe (a canary region); in
  Sweden Central, where only ``1.1.0`` is replicated, there is no "latest" at all.
  ``myImage2`` has a version excluded from latest in one region only.
* ``sharedGallery`` (subscription ``2222...``, East US): directly shared with subscription
  ``1111...`` and one tenant; a Windows Trusted Launch definition and a Linux one.
* ``communityGallery`` (subscription ``2222...``, East US): shared with everyone.

Generalized and specialized, Windows and Linux, V1 and V2, x64 and Arm64, LRS, ZRS and Premium
replicas, and measured used sizes on disks are all represented.

Example:
    >>> from imagegallery import sample_inventory
    >>> inv = sample_inventory()
    >>> [g.name for g in inv.galleries()]
    ['myGallery', 'communityGallery', 'sharedGallery']
    >>> [d.name for d in inv.definitions()][:3]
    ['myImage1', 'myImage2', 'myImage3']
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from imagegallery.arm import load_arm
from imagegallery.inventory import Inventory

__all__ = ["SAMPLE_SUBSCRIPTIONS", "sample_arm", "sample_inventory"]

SAMPLE_SUBSCRIPTIONS = (
    "11111111-1111-1111-1111-111111111111",
    "22222222-2222-2222-2222-222222222222",
)


def sample_arm() -> list[dict[str, Any]]:
    """The sample inventory as ARM resource dicts (what ``az rest`` would print for it).

    The resources are kept as JSON in the package (``_data/sample.json``); each call returns
    new dicts.

    Example:
        >>> len(sample_arm())
        22
    """
    text = resources.files("imagegallery").joinpath("_data", "sample.json").read_text("utf-8")
    loaded: list[dict[str, Any]] = json.loads(text)
    return loaded


@cache
def sample_inventory() -> Inventory:
    """The embedded sample inventory (see the module documentation for what it holds).

    Example:
        >>> inv = sample_inventory()
        >>> len(inv), inv.subscriptions()[0]
        (13, '11111111-1111-1111-1111-111111111111')
    """
    return load_arm(sample_arm())
