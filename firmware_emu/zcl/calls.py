"""What a ZCL command handler works with, and how it builds its answers.

A handler gets a :class:`ZclCall` (one GBZ component: the decoded ZCL command, the model
of the device, who sent it) and returns the ZCL commands that answer it — usually one,
several for the calendar reads (one Publish Day Profile per day). It raises
:class:`ZclFailure` with a ZCL status when the command cannot be carried out.

The frame control of an answer follows the GBCS use-case response formats: Default and
Read Attributes Responses go the opposite way to the command, publish-style answers set
"disable default response" as :data:`DISABLE_DEFAULT_RESPONSE` says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from firmware_emu.registry import AlertRequest
from firmware_emu.zcl.model import ZclModel
from gbcs.crypto import KeyStore
from gbcs.gbz import clusters_calendar as calendar
from gbcs.gbz import clusters_device as device
from gbcs.gbz import clusters_metering as metering
from gbcs.gbz import clusters_prepayment as prepayment
from gbcs.gbz import clusters_price as price
from gbcs.gbz.gbz_component import GbzComponent
from gbcs.gbz.records import ZclRecord
from gbcs.gbz.zcl import (
    DefaultResponse,
    ReadAttributesResponse,
    ZclCommand,
    ZclStatus,
    zcl_command,
)
from gbcs.gbz.zcl_types import Direction

NOT_EXECUTED_COMMAND_ID = 0xFF
"""Default Response command id for components skipped after an earlier one failed."""

DISABLE_DEFAULT_RESPONSE: frozenset[type[ZclRecord]] = frozenset({
    metering.PublishSnapshot, prepayment.PublishPrepaySnapshot,
    prepayment.ChangePaymentModeResponse, prepayment.PublishTopUpLog,
    prepayment.PublishDebtLog, calendar.PublishCalendar, calendar.PublishDayProfile,
    calendar.PublishWeekProfile, calendar.PublishSeasons, calendar.PublishSpecialDays,
    price.PublishPrice, device.PublishEventLog,
})
"""Answers sent with frame control 0x19 (cluster-specific, server to client, no DR)."""

USE_CASE_DISABLE_DEFAULT_RESPONSE: dict[int, frozenset[type[ZclRecord]]] = {
    0x0074: frozenset({ReadAttributesResponse}),  # GCS13a
    0x00B6: frozenset({ReadAttributesResponse}),  # GCS13c
    0x00B8: frozenset({ReadAttributesResponse}),  # GCS13b
    0x009F: frozenset({ReadAttributesResponse}),  # GCS21f
    0x00A0: frozenset({metering.GetSampledDataResponse}),  # GCS61
}
"""Use cases whose response format sets the bit on other answers too."""

SERVER_ANSWERED: frozenset[type[ZclRecord]] = frozenset({device.GetEventConfiguration})
"""Commands sent server to client whose Default Response still goes server to client
(GBCS GCS20r response format)."""


class ZclFailure(Exception):
    """The command cannot be carried out; ``status`` goes in the Default Response."""

    def __init__(self, status: int, reason: str = "") -> None:
        super().__init__(reason or f"ZCL status 0x{status:02X}")
        self.status = status


@dataclass
class ZclCall:
    model: ZclModel
    component: GbzComponent
    command: ZclCommand
    message_code: int
    originator: bytes
    originator_counter: int
    keys: KeyStore | None = None
    alerts: list[AlertRequest] = field(default_factory=list)
    deferred: bool = False
    """A future-dated command running at its execution time."""
    siblings: tuple[GbzComponent, ...] = ()
    """All components of the GBZ command this one came in (empty when deferred)."""

    @property
    def body(self) -> ZclRecord:
        return self.command.body

    @property
    def now(self) -> datetime:
        return self.model.now

    @property
    def answer_direction(self) -> Direction:
        if self.command.frame.direction and type(self.body) not in SERVER_ANSWERED:
            return Direction.CLIENT_TO_SERVER
        return Direction.SERVER_TO_CLIENT

    def reply(self, record: ZclRecord) -> ZclCommand:
        """A cluster-specific answer (its cluster and direction come from its type)."""
        return zcl_command(record, disable_default_response=self._no_default(type(record)))

    def default_response(self, status: int = ZclStatus.SUCCESS,
                         command_id: int | None = None) -> ZclCommand:
        record = DefaultResponse(self.command.command_id if command_id is None else command_id,
                                 status)
        return zcl_command(record, cluster_id=self.command.cluster_id,
                           direction=self.answer_direction)

    def global_reply(self, record: ZclRecord) -> ZclCommand:
        """Read / Write Attributes Response on the command's cluster."""
        return zcl_command(record, cluster_id=self.command.cluster_id,
                           direction=self.answer_direction,
                           disable_default_response=self._no_default(type(record)))

    def _no_default(self, record_type: type[ZclRecord]) -> bool:
        return record_type in DISABLE_DEFAULT_RESPONSE or record_type in (
            USE_CASE_DISABLE_DEFAULT_RESPONSE.get(self.message_code, frozenset()))


Answer = list[ZclCommand]


@dataclass(frozen=True, slots=True)
class CommandHandler:
    """How a device carries out one ZCL command.

    ``time_field`` names the payload field holding the execution time of a command that
    can be future-dated (its GBZ From Date Time, when present, takes precedence);
    ``acknowledge`` answers a command that is scheduled or cancelled rather than run
    (default: a successful Default Response); ``failure`` builds the use-case-specific
    answer of a failed execution (default: Default Response with the failure status).
    ``reads`` marks commands that only read (their From Date Time is a filter).
    """

    run: Callable[[ZclCall], Answer]
    time_field: str | None = None
    acknowledge: Callable[[ZclCall], Answer] | None = None
    failure: Callable[[ZclCall, int], Answer] | None = None
    reads: bool = False


def succeeded(call: ZclCall) -> Answer:
    return [call.default_response(ZclStatus.SUCCESS)]

