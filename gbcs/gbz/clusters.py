"""The Smart Energy clusters and commands GBCS uses (primer §8.1.3), as one lookup table.

``(cluster id, direction, command id)`` names a cluster-specific command and gives the
record type (and so the codec) of its payload. The field layouts live in one module per
cluster; this module joins them and adds cluster and attribute names for dissectors.
"""

from __future__ import annotations

from gbcs.gbz import (
    clusters_calendar,
    clusters_device,
    clusters_metering,
    clusters_prepayment,
    clusters_price,
)
from gbcs.gbz.records import Codec, ZclRecord
from gbcs.gbz.zcl_types import Direction
from gbcs.value_type import value_type


@value_type
class CommandSpec:
    """One ZCL command: where it belongs and the record type of its payload.
    ``cluster_id`` and ``direction`` are None for the global (profile-wide) commands."""

    cluster_id: int | None
    direction: Direction | None
    command_id: int
    record: type[ZclRecord]

    @property
    def name(self) -> str:
        return self.record.title

    @property
    def codec(self) -> Codec:
        return self.record.codec


# =====================================================================================
# Tables
# =====================================================================================

CLUSTER_NAMES: dict[int, str] = {
    clusters_device.BASIC: "Basic",
    clusters_price.CLUSTER_ID: clusters_price.NAME,
    clusters_metering.CLUSTER_ID: clusters_metering.NAME,
    clusters_device.MESSAGING: "Messaging",
    clusters_prepayment.CLUSTER_ID: clusters_prepayment.NAME,
    clusters_calendar.CLUSTER_ID: clusters_calendar.NAME,
    clusters_device.DEVICE_MANAGEMENT: "Device Management",
    clusters_device.EVENTS: "Events",
}

_COMMAND_LISTS = (
    (clusters_price.CLUSTER_ID, clusters_price.COMMANDS),
    (clusters_metering.CLUSTER_ID, clusters_metering.COMMANDS),
    (clusters_device.MESSAGING, clusters_device.MESSAGING_COMMANDS),
    (clusters_prepayment.CLUSTER_ID, clusters_prepayment.COMMANDS),
    (clusters_calendar.CLUSTER_ID, clusters_calendar.COMMANDS),
    (clusters_device.DEVICE_MANAGEMENT, clusters_device.DEVICE_MANAGEMENT_COMMANDS),
    (clusters_device.EVENTS, clusters_device.EVENTS_COMMANDS),
)

CLUSTER_COMMANDS: dict[tuple[int, Direction, int], CommandSpec] = {
    (cluster_id, direction, command_id): CommandSpec(cluster_id, direction, command_id, cls)
    for cluster_id, commands in _COMMAND_LISTS
    for direction, command_id, cls in commands
}

SPEC_OF_RECORD: dict[type[ZclRecord], CommandSpec] = {
    spec.record: spec for spec in CLUSTER_COMMANDS.values()
}

ATTRIBUTE_NAMES: dict[int, dict[int, str]] = {
    clusters_device.BASIC: clusters_device.BASIC_ATTRIBUTES,
    clusters_price.CLUSTER_ID: clusters_price.ATTRIBUTES,
    clusters_metering.CLUSTER_ID: clusters_metering.ATTRIBUTES,
    clusters_prepayment.CLUSTER_ID: clusters_prepayment.ATTRIBUTES,
    clusters_calendar.CLUSTER_ID: clusters_calendar.ATTRIBUTES,
}


# =====================================================================================
# Lookups
# =====================================================================================


def find_cluster_command(cluster_id: int, direction: Direction | int,
                         command_id: int) -> CommandSpec | None:
    return CLUSTER_COMMANDS.get((cluster_id, direction, command_id))


def cluster_name(cluster_id: int) -> str:
    return CLUSTER_NAMES.get(cluster_id, f"cluster 0x{cluster_id:04X}")


def attribute_name(cluster_id: int, attribute_id: int) -> str | None:
    """The ZCL name of an attribute, or None when this table does not know it."""
    return ATTRIBUTE_NAMES.get(cluster_id, {}).get(attribute_id)
