"""Dual-band CHF Sub-GHz state: configuration structure(15), channel and channel log.

Channels travel as 32-bit ZigBee channel-page words (primer §11.9): the top 5 bits are
the page, the low 27 bits a channel mask. GB pages 28-30 carry lower-band channels 0-26,
27-34 and 35-61; page 31 the upper band's channels 0-26.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from datetime import datetime

from firmware_emu.state_codec import (
    InvalidStateError,
    JsonState,
    StateError,
    check_aware,
    check_int,
)

CHANNEL_LOG_CAPACITY = 100
CHANNEL_CHANGED_LOG_CODE = 0x8F26
_PAGE_SHIFT = 27
_MASK_BITS = (1 << _PAGE_SHIFT) - 1


class SubGhzError(StateError, ValueError):
    pass


class SubGhzBand(enum.Enum):
    LOWER = "863-876 MHz"
    UPPER = "915-921 MHz"


# page -> (band, first GB channel number on the page, channels on the page)
PAGES: dict[int, tuple[SubGhzBand, int, int]] = {
    28: (SubGhzBand.LOWER, 0, 27),
    29: (SubGhzBand.LOWER, 27, 8),
    30: (SubGhzBand.LOWER, 35, 27),
    31: (SubGhzBand.UPPER, 0, 27),
}


def check_page_word(word: int, page: int, field: str) -> int:
    check_int(word, field, 0, 0xFFFFFFFF)
    if word >> _PAGE_SHIFT != page:
        raise InvalidStateError(field, f"0x{word:08X} is not a page {page} channel word")
    _, _, count = PAGES[page]
    if word & _MASK_BITS & ~((1 << count) - 1):
        raise InvalidStateError(field, f"0x{word:08X} sets channels page {page} does not have")
    return word


def page_mask(page: int, channels: Iterable[int]) -> int:
    """The page ``page`` channel word enabling GB channel numbers ``channels``."""
    if page not in PAGES:
        raise SubGhzError(f"page {page} is not a GB Sub-GHz page (28-31)")
    band, first, count = PAGES[page]
    word = page << _PAGE_SHIFT
    for channel in channels:
        if not first <= channel < first + count:
            raise SubGhzError(f"{band.name.lower()} band channel {channel} is not on "
                              f"page {page}")
        word |= 1 << (channel - first)
    return word


@dataclasses.dataclass(frozen=True, slots=True)
class SubGhzChannel(JsonState):
    band: SubGhzBand
    number: int

    def __post_init__(self) -> None:
        check_int(self.number, "number", 0, 61 if self.band is SubGhzBand.LOWER else 26)

    @property
    def page(self) -> int:
        return next(page for page, (band, first, count) in PAGES.items()
                    if band is self.band and first <= self.number < first + count)

    @property
    def word(self) -> int:
        return page_mask(self.page, [self.number])

    @classmethod
    def from_word(cls, word: int) -> SubGhzChannel:
        """The one channel a single-bit channel word names."""
        channels = channels_in_word(word)
        if len(channels) != 1:
            raise SubGhzError(f"0x{word:08X} names {len(channels)} channels, not one")
        return channels[0]


def channels_in_word(word: int) -> list[SubGhzChannel]:
    page = word >> _PAGE_SHIFT
    if page not in PAGES:
        raise SubGhzError(f"0x{word:08X} is not a GB Sub-GHz channel word (page {page})")
    check_page_word(word, page, "channel word")
    band, first, count = PAGES[page]
    return [SubGhzChannel(band, first + bit) for bit in range(count) if word >> bit & 1]


_PERCENT = 10_000  # percentages are stored in hundredths


@dataclasses.dataclass(frozen=True, slots=True)
class SubGhzConfiguration(JsonState):
    """The 15-field Sub-GHz configuration (``0-0:94.44.10.0``), in wire order and units.

    Defaults are the DBCH04 example values.
    """

    page28_mask: int = 0xE0000006
    page29_mask: int = 0xE8000006
    page30_mask: int = 0xF0000006
    page31_mask: int = 0xF8000006
    normal_limited_duty_cycle_threshold: int = 130  # hundredths of a percent
    limited_critical_duty_cycle_threshold: int = 220  # hundredths of a percent
    max_channel_changes_per_week: int = 5
    gsme_curfew: int = 7
    channel_quieter_threshold_db: int = 7
    channel_noisier_threshold_db: int = 12
    non_gsme_poor_comms_percentage: int = 6000  # hundredths of a percent
    non_gsme_poor_comms_periods: int = 130  # 30-minute periods
    local_noise_measurement_period: int = 100
    local_failure_percentage: int = 4000  # hundredths of a percent
    local_retry_percentage: int = 3000  # hundredths of a percent

    def __post_init__(self) -> None:
        for page in PAGES:
            check_page_word(getattr(self, f"page{page}_mask"), page, f"page{page}_mask")
        for name in ("normal_limited_duty_cycle_threshold",
                     "limited_critical_duty_cycle_threshold", "non_gsme_poor_comms_percentage",
                     "local_failure_percentage", "local_retry_percentage"):
            check_int(getattr(self, name), name, 0, _PERCENT)
        for name in ("gsme_curfew", "local_noise_measurement_period"):
            check_int(getattr(self, name), name, 0, 0xFFFF)
        for name in ("max_channel_changes_per_week", "channel_quieter_threshold_db",
                     "channel_noisier_threshold_db", "non_gsme_poor_comms_periods"):
            check_int(getattr(self, name), name, 0, 0xFF)
        if self.normal_limited_duty_cycle_threshold > self.limited_critical_duty_cycle_threshold:
            raise InvalidStateError("normal_limited_duty_cycle_threshold",
                                    "must not exceed the limited-critical threshold")

    def as_fields(self) -> tuple[int, ...]:
        """The 15 values in structure(15) order."""
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))

    @classmethod
    def from_fields(cls, values: Iterable[int]) -> SubGhzConfiguration:
        values = tuple(values)
        if len(values) != len(dataclasses.fields(cls)):
            raise SubGhzError(f"a Sub-GHz configuration has 15 fields, got {len(values)}")
        try:
            return cls(*values)
        except InvalidStateError as error:
            raise SubGhzError(f"bad Sub-GHz configuration: {error}") from None

    def permits(self, channel: SubGhzChannel) -> bool:
        return bool(getattr(self, f"page{channel.page}_mask") & channel.word & _MASK_BITS)

    def usable_channels(self) -> list[SubGhzChannel]:
        return [channel for page in PAGES
                for channel in channels_in_word(getattr(self, f"page{page}_mask"))]


@dataclasses.dataclass(frozen=True, slots=True)
class ChannelChange(JsonState):
    """A Sub-GHz channel log record (DBCH02): when, the new channel word, a reason code."""

    timestamp: datetime
    channel_word: int
    reason_code: int = 0

    def __post_init__(self) -> None:
        check_aware(self.timestamp, "timestamp")
        try:
            SubGhzChannel.from_word(self.channel_word)
        except SubGhzError as error:
            raise InvalidStateError("channel_word", str(error)) from None
        check_int(self.reason_code, "reason_code", 0, 0xFF)


def _first_usable_word() -> int:
    return SubGhzConfiguration().usable_channels()[0].word


@dataclasses.dataclass(slots=True)
class SubGhzState(JsonState):
    configuration: SubGhzConfiguration = SubGhzConfiguration()
    operating_channel_word: int = dataclasses.field(default_factory=_first_usable_word)
    channel_log: list[ChannelChange] = dataclasses.field(default_factory=list)
    scan_requested: bool = False

    def __post_init__(self) -> None:
        try:
            SubGhzChannel.from_word(self.operating_channel_word)
        except SubGhzError as error:
            raise InvalidStateError("operating_channel_word", str(error)) from None
        if len(self.channel_log) > CHANNEL_LOG_CAPACITY:
            raise InvalidStateError("channel_log", f"more than {CHANNEL_LOG_CAPACITY} entries")

    @property
    def operating_channel(self) -> SubGhzChannel:
        return SubGhzChannel.from_word(self.operating_channel_word)

    def change_channel(self, channel: SubGhzChannel, now: datetime,
                       reason_code: int = 0) -> ChannelChange:
        """Move to ``channel`` (which the configuration must permit) and log it."""
        if not self.configuration.permits(channel):
            raise SubGhzError(f"{channel.band.name.lower()} band channel {channel.number} is "
                              f"not enabled in the Sub-GHz configuration")
        record = ChannelChange(now, channel.word, reason_code)
        self.operating_channel_word = channel.word
        self.channel_log.append(record)
        del self.channel_log[:-CHANNEL_LOG_CAPACITY]
        return record

    def channel_log_between(self, start: datetime, end: datetime) -> list[ChannelChange]:
        return [c for c in self.channel_log if start <= c.timestamp <= end]
