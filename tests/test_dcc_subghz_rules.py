"""SRV 6.28 channel pages, mask words (primer §11.9) and validation (digest §5.2)."""

from __future__ import annotations

import pytest

from firmware_emu.dcc.response_codes import ResponseCode
from firmware_emu.dcc.subghz_rules import (
    CHANNEL_PAGES,
    ChannelMaskError,
    SubGhzBand,
    check_subghz_configuration,
    decode_channel_mask,
    encode_channel_mask,
    encode_subghz_configuration,
)

VALID = {"LowerBandSubGHzChannels0To26": [1, 2], "LowerBandSubGHzChannels27To34": [28, 29],
         "LowerBandSubGHzChannels35To61": [36, 37], "UpperBandSubGHzChannels0To26": [1, 2]}


def test_pages_cover_lower_channels_0_to_61_and_upper_0_to_26():
    lower = [ch for page in CHANNEL_PAGES if page.band is SubGhzBand.LOWER
             for ch in page.channels]
    assert lower == list(range(62))
    assert [page.page for page in CHANNEL_PAGES] == [28, 29, 30, 31]
    assert list(CHANNEL_PAGES[3].channels) == list(range(27))


def test_primer_example_words():
    assert encode_subghz_configuration(VALID) == (0xE0000006, 0xE8000006, 0xF0000006,
                                                  0xF8000006)


@pytest.mark.parametrize(("page", "channels", "word"), [
    (28, [], 0xE0000000), (28, [0, 26], 0xE4000001), (29, [34], 0xE8000080),
    (30, [61], 0xF4000000), (31, [0], 0xF8000001),
])
def test_encode_and_decode_round_trip(page, channels, word):
    assert encode_channel_mask(page, channels) == word
    assert decode_channel_mask(word) == (page, tuple(channels))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: encode_channel_mask(27, [1]), "page 27 is not a GB sub-GHz page"),
    (lambda: encode_channel_mask(29, [26]), "channel 26 is not on page 29"),
    (lambda: encode_channel_mask(28, [True]), "channel True"),
    (lambda: decode_channel_mask(0xE8000100), "sets bit 8, beyond the 8 channels"),
    (lambda: decode_channel_mask(1 << 32), "not a 32-bit"),
    (lambda: encode_subghz_configuration({}), "lacks LowerBandSubGHzChannels0To26"),
])
def test_mask_errors(call, message):
    with pytest.raises(ChannelMaskError, match=message):
        call()


def _verdict(**changes):
    violation = check_subghz_configuration({**VALID, **changes})
    return None if violation is None else violation.code


def test_valid_configurations():
    assert _verdict() is None
    assert _verdict(LowerBandSubGHzChannels27To34=[], UpperBandSubGHzChannels0To26=[]) is None
    assert _verdict(LowerBandSubGHzChannels0To26=list(range(27))) is None


@pytest.mark.parametrize(("changes", "code"), [
    ({"LowerBandSubGHzChannels0To26": [3]}, ResponseCode.E062802),
    ({"LowerBandSubGHzChannels35To61": [61]}, ResponseCode.E062802),
    ({"UpperBandSubGHzChannels0To26": [26]}, ResponseCode.E062802),
    ({"LowerBandSubGHzChannels0To26": [], "LowerBandSubGHzChannels27To34": [],
      "LowerBandSubGHzChannels35To61": []}, ResponseCode.E062802),
    ({"LowerBandSubGHzChannels27To34": [26, 27]}, ResponseCode.E062801),
    ({"LowerBandSubGHzChannels35To61": [36, 62]}, ResponseCode.E062801),
    ({"UpperBandSubGHzChannels0To26": [1, 1]}, ResponseCode.E062801),
    ({"LowerBandSubGHzChannels0To26": "1,2"}, ResponseCode.E062801),
    ({"LowerBandSubGHzChannels0To26": [1, "2"]}, ResponseCode.E062801),
])
def test_invalid_configurations(changes, code):
    assert _verdict(**changes) is code


def test_missing_item_and_details():
    items = dict(VALID)
    del items["UpperBandSubGHzChannels0To26"]
    violation = check_subghz_configuration(items)
    assert violation.code is ResponseCode.E062801 and "Upper" in violation.detail
    violation = check_subghz_configuration({**VALID, "LowerBandSubGHzChannels0To26": [3]})
    assert "page 28" in violation.detail


def test_upper_band_two_channel_rule_can_be_relaxed():
    single = {**VALID, "UpperBandSubGHzChannels0To26": [26]}
    assert check_subghz_configuration(single, upper_band_two_channel_rule=False) is None
    lower_single = {**VALID, "LowerBandSubGHzChannels0To26": [3]}
    relaxed = check_subghz_configuration(lower_single, upper_band_two_channel_rule=False)
    assert relaxed.code is ResponseCode.E062802
