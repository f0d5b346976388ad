"""imagegallery: a domain model of Azure Compute Gallery."""

from imagegallery.arm import dump_arm, load_arm, loads_arm
from imagegallery.definition import ImageDefinition, ImageIdentifier
from imagegallery.enums import *  # noqa: F403
from imagegallery.errors import *  # noqa: F403
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory
from imagegallery.publishing import PublishingProfile, TargetRegion
from imagegallery.regions import normalize_region
from imagegallery.status import RegionalReplicationStatus, ReplicationStatus
from imagegallery.storage import DataDiskImage, OsDiskImage, StorageProfile
from imagegallery.version import ImageVersion
from imagegallery.versions import ImageVersionName
