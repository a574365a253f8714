"""Global ZCL commands on any cluster: Read Attributes and Write Attributes."""

from __future__ import annotations

from firmware_emu.zcl.calls import Answer, CommandHandler, ZclCall
from gbcs.gbz.zcl import (
    AttributeStatus,
    ReadAttributes,
    ReadAttributesResponse,
    WriteAttributes,
    WriteAttributesResponse,
    WriteAttributeStatus,
    ZclStatus,
)


def read_attributes(call: ZclCall) -> Answer:
    cluster = call.command.cluster_id
    records = tuple(call.model.read(cluster, attribute_id)
                    for attribute_id in call.body.attribute_ids)
    return [call.global_reply(ReadAttributesResponse(records))]


def read_attributes_failed(call: ZclCall, status: int) -> Answer:
    """A failed read reports the failure on one attribute (the second-to-last, or the only
    one: as an injected fault picks components) and reads the rest."""
    [answer] = read_attributes(call)
    records = list(answer.body.records)
    if records:
        index = max(len(records) - 2, 0)
        records[index] = AttributeStatus(records[index].attribute_id, status)
    return [call.global_reply(ReadAttributesResponse(tuple(records)))]


def write_attributes(call: ZclCall) -> Answer:
    cluster = call.command.cluster_id
    statuses = [call.model.write_remote(cluster, record.attribute_id, record.data_type,
                                        record.value) for record in call.body.records]
    failed = tuple(status for status in statuses if status.status != ZclStatus.SUCCESS)
    records = failed or (WriteAttributeStatus(ZclStatus.SUCCESS),)
    return [call.global_reply(WriteAttributesResponse(records))]


HANDLERS = {
    ReadAttributes: CommandHandler(read_attributes, failure=read_attributes_failed, reads=True),
    WriteAttributes: CommandHandler(write_attributes),
}
