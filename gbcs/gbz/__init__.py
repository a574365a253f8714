"""GBZ: the ZigBee Smart Energy payload family of GBCS (GSME, GPF and other HAN devices).

:mod:`gbcs.gbz.gbz` decodes and encodes GBZ content (:mod:`~gbcs.gbz.gbz_component`,
:mod:`~gbcs.gbz.gbz_alert`); :mod:`gbcs.gbz.zcl` the ZCL commands the components carry;
:mod:`gbcs.gbz.clusters` the Smart Energy command and attribute tables;
:mod:`gbcs.gbz.zcl_types` the ZCL data types and :mod:`gbcs.gbz.records` the record
machinery the tables are declared with.
"""

from gbcs.gbz.clusters import (
    CLUSTER_COMMANDS,
    CommandSpec,
    attribute_name,
    cluster_name,
    find_cluster_command,
)
from gbcs.gbz.gbz import GBZ_PAYLOAD, GbzPayload, decode_gbz, encode_gbz, gbz_payload
from gbcs.gbz.gbz_alert import (
    GBZ_ALERT,
    AlertData,
    FirmwareDistributionReceipt,
    FutureDatedExecution,
    GbzAlert,
    GbzAlertCodec,
    MeterIntegrityWarning,
    alert_codec,
    gbz_alert,
)
from gbcs.gbz.gbz_component import (
    GBZ_COMPONENT,
    GbzComponent,
    GbzEncryption,
    component_control,
    encrypted_gbz_component,
    gbz_component,
    make_component,
)
from gbcs.gbz.records import ZclRecord
from gbcs.gbz.zcl import (
    GLOBAL_COMMANDS,
    AttributeStatus,
    AttributeValue,
    DefaultResponse,
    FrameControl,
    ReadAttributes,
    ReadAttributesResponse,
    WriteAttributes,
    WriteAttributesResponse,
    WriteAttributeStatus,
    ZclCommand,
    ZclStatus,
    command_spec,
    decode_zcl_payload,
    encode_zcl_payload,
    status_name,
    zcl_command,
)
from gbcs.gbz.zcl_types import ZCL_DATA_TYPES, Direction, FrameType

__all__ = [
    "CLUSTER_COMMANDS",
    "GBZ_ALERT",
    "GBZ_COMPONENT",
    "GBZ_PAYLOAD",
    "GLOBAL_COMMANDS",
    "ZCL_DATA_TYPES",
    "AlertData",
    "AttributeStatus",
    "AttributeValue",
    "CommandSpec",
    "DefaultResponse",
    "Direction",
    "FirmwareDistributionReceipt",
    "FrameControl",
    "FrameType",
    "FutureDatedExecution",
    "GbzAlert",
    "GbzAlertCodec",
    "GbzComponent",
    "GbzEncryption",
    "GbzPayload",
    "MeterIntegrityWarning",
    "ReadAttributes",
    "ReadAttributesResponse",
    "WriteAttributeStatus",
    "WriteAttributes",
    "WriteAttributesResponse",
    "ZclCommand",
    "ZclRecord",
    "ZclStatus",
    "alert_codec",
    "attribute_name",
    "cluster_name",
    "command_spec",
    "component_control",
    "decode_gbz",
    "decode_zcl_payload",
    "encode_gbz",
    "encode_zcl_payload",
    "encrypted_gbz_component",
    "find_cluster_command",
    "gbz_alert",
    "gbz_component",
    "gbz_payload",
    "make_component",
    "status_name",
    "zcl_command",
]
