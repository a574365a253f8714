import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from firmware_emu.clock import SteppedClock
from firmware_emu.han import (
    DeviceAnnounced,
    DeviceJoined,
    DeviceLeft,
    HanDeliveryError,
    HanError,
    HanFrame,
    HanNetworkInfo,
    HanTransport,
    InMemoryHan,
    JoinKey,
    JoinPermit,
    JoinRefusal,
    NoNetworkError,
    NotJoinedError,
    chf_join_permits,
    hash_link_key,
    link_key_from_install_code,
)
from firmware_emu.state_identity import DlmsDeviceType
from firmware_emu.state_logs import ChfDeviceLog

T0 = datetime(2024, 3, 31, 12, tzinfo=UTC)
CHF = bytes.fromhex("00DB1234567890A2")
ESME = bytes.fromhex("00DB1234567890A0")
GSME = bytes.fromhex("00DB1234567890A1")
PPMID = bytes.fromhex("00DB1234567890A4")
STRANGER = bytes.fromhex("00DB123456789999")
ESME_CODE = bytes.fromhex("30313233343536373839414243444546")
GSME_CODE = bytes(range(16))


class Recorder:
    """A device's listener that records what it gets and can echo frames back."""

    def __init__(self, han: InMemoryHan, eui: bytes, echo: bool = False) -> None:
        self.han, self.eui, self.echo = han, eui, echo
        self.frames: list[HanFrame] = []
        self.events: list[object] = []
        han.add_listener(eui, self)

    async def handle_frame(self, frame: HanFrame) -> None:
        self.frames.append(frame)
        if self.echo:
            await self.han.send(self.eui, frame.src_eui, b"re:" + frame.payload)

    async def handle_event(self, event) -> None:
        self.events.append(event)


def whitelist(clock: SteppedClock) -> ChfDeviceLog:
    log = ChfDeviceLog()
    log.add(ESME, DlmsDeviceType.ESME, ESME_CODE)
    log.add(GSME, DlmsDeviceType.GSME, GSME_CODE)
    log.set_joining(True, 90, clock.now())
    return log


@pytest.fixture
async def han():
    clock = SteppedClock(T0)
    transport = InMemoryHan(clock)
    await transport.form_network(HanNetworkInfo(CHF, CHF, channel=15))
    yield transport
    await transport.close()


async def test_install_code_join_is_decided_by_the_chf_whitelist(han):
    chf, esme, other = Recorder(han, CHF), Recorder(han, ESME), Recorder(han, STRANGER)
    await han.set_join_permits(CHF, chf_join_permits(whitelist(han.clock), han.clock.now()))
    refused = await han.join(ESME, CHF, JoinKey.install_code(GSME_CODE))
    assert refused.refusal is JoinRefusal.KEY_MISMATCH and not refused.accepted
    stranger = await han.join(STRANGER, CHF, JoinKey.install_code(ESME_CODE))
    assert stranger.refusal is JoinRefusal.NOT_PERMITTED
    assert (await han.join(ESME, bytes(8), JoinKey.install_code(ESME_CODE))).refusal \
        is JoinRefusal.NO_NETWORK
    outcome = await han.join(ESME, CHF, JoinKey.install_code(ESME_CODE))
    assert outcome.accepted
    assert outcome.link_key_hash == hash_link_key(link_key_from_install_code(ESME_CODE))
    await han.drain()
    joined = DeviceJoined(ESME, CHF, outcome.link_key_hash)
    assert chf.events == [joined, DeviceAnnounced(ESME, CHF)]
    assert esme.events == [joined]
    assert other.events == []
    assert han.members(CHF) == {ESME}


async def test_join_window_and_disabled_joining(han):
    log = whitelist(han.clock)
    await han.set_join_permits(CHF, chf_join_permits(log, han.clock.now()))
    han.clock.advance(timedelta(seconds=90))
    assert (await han.join(GSME, CHF, JoinKey.install_code(GSME_CODE))).refusal \
        is JoinRefusal.WINDOW_CLOSED
    assert chf_join_permits(log, han.clock.now()) == []
    log.set_joining(False, 90, han.clock.now())
    assert chf_join_permits(log, han.clock.now()) == []
    log.set_joining(True, 30, han.clock.now())
    await han.set_join_permits(CHF, chf_join_permits(log, han.clock.now()))
    assert (await han.join(GSME, CHF, JoinKey.install_code(GSME_CODE))).accepted


async def test_rejoin_with_a_remembered_link_key_after_restore(han):
    link_key = link_key_from_install_code(ESME_CODE)
    log = ChfDeviceLog()
    log.restore([(ESME, hash_link_key(link_key))])  # CCS03 onto a replacement CHF
    log.remember(GSME, hash_link_key(b"G" * 16))
    log.add(GSME, DlmsDeviceType.GSME, GSME_CODE)
    log.set_joining(True, 60, han.clock.now())
    permits = chf_join_permits(log, han.clock.now())
    assert [p.device_eui for p in permits] == [ESME, GSME]
    assert permits[0].expires_at == T0 + timedelta(seconds=60)
    await han.set_join_permits(CHF, permits)
    assert (await han.join(ESME, CHF, JoinKey.install_code(GSME_CODE))).refusal \
        is JoinRefusal.KEY_MISMATCH
    assert (await han.join(ESME, CHF, JoinKey.link_key(link_key))).accepted
    assert (await han.join(GSME, CHF, JoinKey.link_key(b"G" * 16))).accepted


async def test_frames_are_delivered_in_order_and_handlers_can_reply(han):
    await han.set_join_permits(CHF, [JoinPermit(ESME, (JoinKey.install_code(ESME_CODE),)),
                                     JoinPermit(GSME, (JoinKey.install_code(GSME_CODE),))])
    chf, esme, gsme = Recorder(han, CHF), Recorder(han, ESME, echo=True), Recorder(han, GSME)
    await han.join(ESME, CHF, JoinKey.install_code(ESME_CODE))
    await han.join(GSME, CHF, JoinKey.install_code(GSME_CODE))
    await han.drain()
    assert gsme.events[-1] == DeviceJoined(GSME, CHF, gsme.events[-1].link_key_hash)
    assert DeviceAnnounced(GSME, CHF) in esme.events
    for index in range(5):
        await han.send(CHF, ESME, bytes([index]))
    await han.send(GSME, CHF, b"gas")
    await han.drain()
    assert [f.payload for f in esme.frames] == [bytes([i]) for i in range(5)]
    assert [f.payload for f in chf.frames] == [b"gas"] + [b"re:" + bytes([i]) for i in range(5)]
    assert han.statistics.frames_sent == han.statistics.frames_delivered == 11


async def test_sending_needs_both_ends_on_the_same_pan(han):
    await han.set_join_permits(CHF, [JoinPermit(ESME, (JoinKey.install_code(ESME_CODE),))])
    with pytest.raises(NotJoinedError, match="00DB1234567890A0 is not on a PAN"):
        await han.send(ESME, CHF, b"x")
    esme = Recorder(han, ESME)
    await han.join(ESME, CHF, JoinKey.install_code(ESME_CODE))
    with pytest.raises(NotJoinedError, match="00DB1234567890A1 is not on the PAN"):
        await han.send(ESME, GSME, b"x")
    await han.leave(ESME)
    await han.drain()
    assert esme.events[-1] == DeviceLeft(ESME, CHF)
    with pytest.raises(NotJoinedError):
        await han.send(CHF, ESME, b"x")
    with pytest.raises(NotJoinedError):
        await han.leave(ESME)
    with pytest.raises(HanError, match="payload must be bytes"):
        await han.send(CHF, CHF, "text")


async def test_frames_to_a_device_without_listener_are_counted_not_delivered(han):
    await han.set_join_permits(CHF, [JoinPermit(ESME, (JoinKey.install_code(ESME_CODE),))])
    await han.join(ESME, CHF, JoinKey.install_code(ESME_CODE))
    await han.send(CHF, ESME, b"x")
    await han.drain()
    assert han.statistics.frames_without_listener == 1


async def test_handler_failures_surface_on_drain(han):
    class Failing(Recorder):
        async def handle_frame(self, frame):
            raise ValueError("cannot parse")

    Failing(han, CHF)
    await han.set_join_permits(CHF, [JoinPermit(ESME, (JoinKey.install_code(ESME_CODE),))])
    await han.join(ESME, CHF, JoinKey.install_code(ESME_CODE))
    await han.send(ESME, CHF, b"x")
    with pytest.raises(HanDeliveryError, match="HanFrame to 00DB1234567890A2: ValueError"):
        await han.drain()
    await han.drain()


async def _lossy_run(seed: int) -> list[bytes]:
    han = InMemoryHan(SteppedClock(T0), loss_probability=0.3, seed=seed)
    await han.form_network(HanNetworkInfo(CHF, CHF))
    await han.set_join_permits(CHF, [JoinPermit(ESME, (JoinKey.install_code(ESME_CODE),))])
    esme = Recorder(han, ESME)
    await han.join(ESME, CHF, JoinKey.install_code(ESME_CODE))
    for index in range(200):
        await han.send(CHF, ESME, index.to_bytes(2, "big"))
    await han.drain()
    await han.close()
    assert han.statistics.frames_lost + han.statistics.frames_delivered == 200
    assert esme.events  # events are never lost
    return [frame.payload for frame in esme.frames]


async def test_loss_is_random_but_repeatable():
    first, again, other = await _lossy_run(1), await _lossy_run(1), await _lossy_run(2)
    assert first == again != other
    assert 100 < len(first) < 180
    assert first == sorted(first)


async def test_latency_delays_delivery():
    han = InMemoryHan(SteppedClock(T0), latency=timedelta(milliseconds=50))
    await han.form_network(HanNetworkInfo(CHF, CHF))
    chf = Recorder(han, CHF)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await han.send(CHF, CHF, b"loopback")
    await asyncio.sleep(0.01)
    assert chf.frames == []
    await han.drain()
    assert chf.frames and loop.time() - start >= 0.05
    await han.close()


async def test_configuration_errors(han):
    with pytest.raises(NoNetworkError):
        await han.set_join_permits(ESME, [])
    with pytest.raises(HanError, match="install code is 16 bytes"):
        JoinKey.install_code(bytes(8))
    with pytest.raises(HanError, match="presents an install code or a link key"):
        await han.join(ESME, CHF, JoinKey.link_key_hash(bytes(16)))
    with pytest.raises(HanError, match="needs a key"):
        JoinPermit(ESME, ())
    with pytest.raises(HanError, match="loss probability"):
        InMemoryHan(han.clock, loss_probability=1.0)
    with pytest.raises(HanError, match="channel 27"):
        HanNetworkInfo(CHF, CHF, channel=27)
    Recorder(han, CHF)
    with pytest.raises(HanError, match="already has a listener"):
        Recorder(han, CHF)
    han.remove_listener(CHF)
    with pytest.raises(HanError, match="has no listener"):
        han.remove_listener(CHF)
    assert isinstance(han, HanTransport)


def test_zigbee_install_code_derivation_matches_the_specification_vector():
    # ZigBee install code test vector: code 83FED340...D505 (CRC C3B5) -> this link key.
    code = bytes.fromhex("83FED3407A939723A5C639B26916D505")
    assert link_key_from_install_code(code).hex().upper() == "66B6900981E1EE3CA4206B6B861C02BB"
