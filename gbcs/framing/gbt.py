"""GB Transfer (GBT): segmentation of large GBCS messages into routable blocks (primer §6).

Each block repeats a routing header (CRA flag, originator counter, system titles and
message code of the whole message) so the WAN can route it without reassembly, then
carries a DLMS general-block-transfer APDU (``E0``) holding a slice of the complete
message. MACs and signatures belong to the reassembled message, never to a block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import construct as c

from gbcs.errors import DecodeError, EncodeError
from gbcs.framing.general_signing import SystemTitle
from gbcs.primitives import EncodedLength, Layout, OctetString, parse_layer
from gbcs.value_type import value_type

MAX_BLOCK_NUMBER = 255
MAX_BLOCK_DATA = 1200
LAST_BLOCK = 0x80
STREAMING = 0x40

# =====================================================================================
# Wire layout
# =====================================================================================

GBT_BLOCK_LAYOUT = c.Struct(
    "tag" / c.Const(b"\xdd"),
    "transaction_id_length" / c.Const(b"\x09"),
    "cra" / c.Int8ub,
    "originator_counter" / c.Int64ub,
    "originator" / SystemTitle,
    "recipient" / SystemTitle,
    "date_time" / c.Const(b"\x00"),
    "other_information" / c.Prefixed(c.Const(2, c.Int8ub), c.Int16ub),
    "key_info_present" / c.Const(b"\x00"),
    "ciphered" / c.Prefixed(EncodedLength, c.Struct(
        "security_control" / c.Int8ub,
        "invocation_counter" / c.Int32ub,
        "gbt_tag" / c.Const(b"\xe0"),
        "block_control" / c.Int8ub,
        "block_number" / c.Int16ub,
        "block_number_acknowledged" / c.Int16ub,
        "block_data" / OctetString,
    )),
    "end" / c.Tell,
)

GBT_BLOCK = Layout(GBT_BLOCK_LAYOUT)
"""The construct of one GBT block (see :class:`~gbcs.primitives.Layout`)."""


@value_type
class GbtBlock:
    """One GBT block: the routing header of the whole message and a slice of it."""

    cra: int
    originator_counter: int
    originator: bytes
    recipient: bytes
    message_code: int
    block_number: int
    data: bytes
    last: bool = False
    streaming: bool = False
    window: int = 1
    block_number_acknowledged: int = 0
    security_control: int = 0x11
    invocation_counter: int = 0

    @property
    def message_key(self) -> tuple[int, int, bytes, bytes]:
        """What identifies the message a block belongs to."""
        return self.cra, self.originator_counter, self.originator, self.recipient


def is_gbt_block(data: bytes) -> bool:
    """A GBT block starts ``DD 09``; an ordinary MAC header starts ``DD 00``."""
    return len(data) >= 2 and data[0] == 0xDD and data[1] == 0x09


def decode_gbt_blocks(data: bytes, *, offset: int = 0) -> list[GbtBlock]:
    """Every block in ``data`` (blocks may be concatenated)."""
    blocks: list[GbtBlock] = []
    position = 0
    while position < len(data):
        rest = data[position:]
        parsed = parse_layer(GBT_BLOCK, rest, offset=offset + position,
                             path=f"gbt_block[{len(blocks)}]", whole=False)
        inner = parsed.ciphered
        control = inner.block_control
        if inner.block_number == 0 or inner.block_number > MAX_BLOCK_NUMBER:
            raise DecodeError(f"block number {inner.block_number} outside 1..255",
                              offset + position, f"gbt_block[{len(blocks)}].block_number")
        if len(inner.block_data) > MAX_BLOCK_DATA:
            raise DecodeError(f"block data of {len(inner.block_data)} bytes exceeds 1200",
                              offset + position, f"gbt_block[{len(blocks)}].block_data")
        blocks.append(GbtBlock(
            cra=parsed.cra, originator_counter=parsed.originator_counter,
            originator=parsed.originator, recipient=parsed.recipient,
            message_code=parsed.other_information, block_number=inner.block_number,
            data=inner.block_data, last=bool(control & LAST_BLOCK),
            streaming=bool(control & STREAMING), window=control & 0x3F,
            block_number_acknowledged=inner.block_number_acknowledged,
            security_control=inner.security_control,
            invocation_counter=inner.invocation_counter,
        ))
        position += parsed.end
    return blocks


def _block_fields(block: GbtBlock) -> dict:
    control = (LAST_BLOCK if block.last else 0) | (STREAMING if block.streaming else 0)
    return dict(
        cra=block.cra, originator_counter=block.originator_counter,
        originator=block.originator, recipient=block.recipient,
        other_information=block.message_code,
        ciphered=dict(
            security_control=block.security_control,
            invocation_counter=block.invocation_counter,
            block_control=control | (block.window & 0x3F),
            block_number=block.block_number,
            block_number_acknowledged=block.block_number_acknowledged,
            block_data=block.data,
        ),
    )


def encode_gbt_block(block: GbtBlock) -> bytes:
    try:
        return GBT_BLOCK.build(_block_fields(block))
    except (c.ConstructError, ValueError, TypeError, OverflowError) as error:
        raise EncodeError(f"GBT block {block.block_number}: {error}") from None


def segment(message: bytes, *, cra: int, originator_counter: int, originator: bytes,
            recipient: bytes, message_code: int, block_size: int = MAX_BLOCK_DATA,
            window: int = 1) -> list[GbtBlock]:
    """Cut a complete GBCS message into GBT blocks of at most ``block_size`` data bytes."""
    if not 1 <= block_size <= MAX_BLOCK_DATA:
        raise EncodeError(f"block size must be 1..{MAX_BLOCK_DATA}, not {block_size}")
    if not message:
        raise EncodeError("cannot segment an empty message")
    slices = [message[i:i + block_size] for i in range(0, len(message), block_size)]
    if len(slices) > MAX_BLOCK_NUMBER:
        raise EncodeError(f"message needs {len(slices)} blocks; GBT allows 255")
    return [
        GbtBlock(cra, originator_counter, originator, recipient, message_code, number, data,
                 last=number == len(slices), window=window)
        for number, data in enumerate(slices, start=1)
    ]


@dataclass
class Reassembler:
    """Collects GBT blocks (in any order, duplicates tolerated) into whole messages."""

    _pending: dict[tuple, dict[int, GbtBlock]] = field(default_factory=dict)

    def add(self, block: GbtBlock) -> bytes | None:
        """Store ``block``; the reassembled message once all its blocks are present."""
        blocks = self._pending.setdefault(block.message_key, {})
        known = blocks.get(block.block_number)
        if known is not None and known.data != block.data:
            raise DecodeError(f"block {block.block_number} received twice with different data")
        blocks[block.block_number] = block
        last = next((b.block_number for b in blocks.values() if b.last), None)
        if last is None or any(n not in blocks for n in range(1, last + 1)):
            return None
        del self._pending[block.message_key]
        return b"".join(blocks[n].data for n in range(1, last + 1))

    @property
    def incomplete_messages(self) -> int:
        return len(self._pending)


def reassemble(data: bytes) -> bytes:
    """The single complete message carried by the concatenated blocks in ``data``."""
    reassembler = Reassembler()
    result = None
    for block in decode_gbt_blocks(data):
        done = reassembler.add(block)
        if done is not None:
            if result is not None:
                raise DecodeError("GBT input holds more than one message")
            result = done
    if result is None or reassembler.incomplete_messages:
        raise DecodeError("GBT blocks do not make up a complete message", len(data), "gbt")
    return result
