"""Dual band CH sub-GHz configuration (SRV 6.28): channel pages, mask words, DCC validation.

DUIS 6.28 SetCHFSubGHzConfiguration carries one data item per GBCS channel-mask page,
each a set of channels the CH may use (digest §5.1):

======================================  ====  =========  ========================
data item                               page  channels   band
======================================  ====  =========  ========================
LowerBandSubGHzChannels0To26            28    0-26       lower, 863-876 MHz
LowerBandSubGHzChannels27To34           29    27-34      lower
LowerBandSubGHzChannels35To61           30    35-61      lower
UpperBandSubGHzChannels0To26            31    0-26       upper, 915-921 MHz
======================================  ====  =========  ========================

On the wire (primer §11.9) each page is a 32-bit word: the top 5 bits are the page
number, the low 27 bits the channel mask, bit n = the n-th channel of the page (channel
minus the page's first channel). Lower channels 1, 2 encode as ``0xE0000006``.

Validation (digest §5.2). The seeds cite E062801 against the channel list of every item
and E062802 against "where Pages are used, at least two channels must be configured per
Page" for the lower-band items. This module reads them as:

* E062801: an item is missing, a channel is outside its item's range, or a channel is
  repeated (the channel list itself is invalid);
* E062802: a used page (one with any channel) has fewer than two channels, or no
  lower-band page is used at all (the XSD's "a minimum of 2 Channels must be set" then
  cannot hold anywhere). Whether the two-channel rule also binds the upper band is open
  in the seeds: the F4 annex says every used page, the DUIS item cites no E062802. It is
  applied by default and can be switched off (``upper_band_two_channel_rule=False``).
  The DCC does not check that the upper band is empty for CHs in the Central or South
  regions, so neither does this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.roles import DccInputError


class ChannelMaskError(DccInputError):
    """A channel mask word or channel set that cannot be encoded or decoded."""


class SubGhzBand(Enum):
    LOWER = "863-876 MHz"
    UPPER = "915-921 MHz"


@dataclass(frozen=True, slots=True)
class ChannelPage:
    data_item: str
    page: int
    band: SubGhzBand
    first_channel: int
    last_channel: int

    @property
    def channels(self) -> range:
        return range(self.first_channel, self.last_channel + 1)


CHANNEL_PAGES: tuple[ChannelPage, ...] = (
    ChannelPage("LowerBandSubGHzChannels0To26", 28, SubGhzBand.LOWER, 0, 26),
    ChannelPage("LowerBandSubGHzChannels27To34", 29, SubGhzBand.LOWER, 27, 34),
    ChannelPage("LowerBandSubGHzChannels35To61", 30, SubGhzBand.LOWER, 35, 61),
    ChannelPage("UpperBandSubGHzChannels0To26", 31, SubGhzBand.UPPER, 0, 26),
)
MINIMUM_CHANNELS_PER_USED_PAGE = 2
_PAGE_BITS = 27


def page_for(page_number: int) -> ChannelPage:
    for page in CHANNEL_PAGES:
        if page.page == page_number:
            return page
    raise ChannelMaskError(f"channel page {page_number} is not a GB sub-GHz page (28-31)")


def encode_channel_mask(page_number: int, channels: Iterable[int]) -> int:
    """The 32-bit page/mask word for ``channels`` (DUIS channel numbers) of a page."""
    page = page_for(page_number)
    mask = 0
    for channel in channels:
        if isinstance(channel, bool) or not isinstance(channel, int) \
                or channel not in page.channels:
            raise ChannelMaskError(f"channel {channel!r} is not on page {page.page} "
                                   f"(channels {page.first_channel}-{page.last_channel})")
        mask |= 1 << (channel - page.first_channel)
    return page.page << _PAGE_BITS | mask


def decode_channel_mask(word: int) -> tuple[int, tuple[int, ...]]:
    """(page number, DUIS channel numbers) of a 32-bit page/mask word."""
    if isinstance(word, bool) or not isinstance(word, int) or not 0 <= word < 1 << 32:
        raise ChannelMaskError(f"channel mask word {word!r} is not a 32-bit unsigned integer")
    page = page_for(word >> _PAGE_BITS)
    mask = word & ((1 << _PAGE_BITS) - 1)
    bits = [bit for bit in range(_PAGE_BITS) if mask >> bit & 1]
    if bits and bits[-1] > page.last_channel - page.first_channel:
        raise ChannelMaskError(f"channel mask word 0x{word:08X} sets bit {bits[-1]}, beyond "
                               f"the {len(page.channels)} channels of page {page.page}")
    return page.page, tuple(page.first_channel + bit for bit in bits)


def encode_subghz_configuration(items: Mapping[str, Iterable[int]]) -> tuple[int, ...]:
    """The four mask words (pages 28-31, GBCS order) of a 6.28 request's data items."""
    missing = [page.data_item for page in CHANNEL_PAGES if page.data_item not in items]
    if missing:
        raise ChannelMaskError(f"sub-GHz configuration lacks {missing[0]}")
    return tuple(encode_channel_mask(page.page, items[page.data_item])
                 for page in CHANNEL_PAGES)


@dataclass(frozen=True, slots=True)
class SubGhzViolation:
    code: ResponseCode
    detail: str


def check_subghz_configuration(items: Mapping[str, object], *,
                               upper_band_two_channel_rule: bool = True
                               ) -> SubGhzViolation | None:
    """The DCC's 6.28 verdict on ``items`` (data item name -> channels), None if valid."""
    used_lower_pages = 0
    for page in CHANNEL_PAGES:
        if page.data_item not in items:
            return SubGhzViolation(ResponseCode.E062801, f"{page.data_item} is missing")
        channels = items[page.data_item]
        if not isinstance(channels, list | tuple):
            return SubGhzViolation(ResponseCode.E062801,
                                   f"{page.data_item} must be a list of channel numbers")
        outside = [ch for ch in channels
                   if isinstance(ch, bool) or not isinstance(ch, int) or ch not in page.channels]
        if outside:
            return SubGhzViolation(
                ResponseCode.E062801,
                f"{page.data_item}: channel {outside[0]!r} is outside "
                f"{page.first_channel}-{page.last_channel}",
            )
        if len(set(channels)) != len(channels):
            return SubGhzViolation(ResponseCode.E062801,
                                   f"{page.data_item} lists a channel more than once")
        binding = page.band is SubGhzBand.LOWER or upper_band_two_channel_rule
        if binding and 0 < len(channels) < MINIMUM_CHANNELS_PER_USED_PAGE:
            return SubGhzViolation(
                ResponseCode.E062802,
                f"{page.data_item} (page {page.page}) is used with {len(channels)} channel; "
                f"a used page needs at least {MINIMUM_CHANNELS_PER_USED_PAGE}",
            )
        if page.band is SubGhzBand.LOWER and channels:
            used_lower_pages += 1
    if used_lower_pages == 0:
        return SubGhzViolation(ResponseCode.E062802,
                               "no lower-band channel is configured on any of pages 28-30")
    return None
