import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from firmware_emu.clock import (
    Clock,
    ClockError,
    OffsetClock,
    ScheduledAction,
    Scheduler,
    SchedulingError,
    SteppedClock,
    SystemClock,
)
from firmware_emu.state_codec import InvalidStateError

T0 = datetime(2024, 3, 31, 0, 30, tzinfo=UTC)


def test_system_clock_is_aware_utc_and_near_real_time():
    clock = SystemClock()
    before = datetime.now(UTC)
    now = clock.now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert before <= now <= datetime.now(UTC)
    assert isinstance(clock, Clock)


def test_system_clock_set_time_keeps_running_from_the_set_time():
    clock = SystemClock()
    target = datetime(2015, 1, 1, tzinfo=UTC)
    clock.set_time(target)
    first = clock.now()
    assert target <= first < target + timedelta(seconds=5)
    assert clock.now() >= first
    assert clock.offset < timedelta(days=-3000)


def test_system_clock_fixed_offset():
    clock = SystemClock(offset=timedelta(hours=-1))
    assert abs(datetime.now(UTC) - timedelta(hours=1) - clock.now()) < timedelta(seconds=5)


def test_stepped_clock_moves_only_when_told():
    clock = SteppedClock(T0)
    assert clock.now() == clock.now() == T0
    assert clock.advance(timedelta(minutes=90)) == T0 + timedelta(minutes=90)
    clock.set_time(T0 - timedelta(days=1))
    assert clock.now() == T0 - timedelta(days=1)


def test_stepped_clock_normalises_to_utc_and_refuses_naive_or_backward_steps():
    clock = SteppedClock(datetime(2024, 6, 1, 12, tzinfo=timezone(timedelta(hours=1))))
    assert clock.now() == datetime(2024, 6, 1, 11, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
    with pytest.raises(ClockError, match="naive"):
        SteppedClock(datetime(2024, 1, 1))
    with pytest.raises(ClockError, match="backwards"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ClockError):
        clock.set_time(datetime(2024, 1, 1))


def test_offset_clock_follows_its_base():
    base = SteppedClock(T0)
    device = OffsetClock(base)
    device.set_time(datetime(2030, 1, 1, tzinfo=UTC))
    base.advance(timedelta(seconds=10))
    assert device.now() == datetime(2030, 1, 1, 0, 0, 10, tzinfo=UTC)
    assert base.now() == T0 + timedelta(seconds=10)


def test_scheduler_returns_due_actions_in_time_then_id_order_and_removes_them():
    scheduler = Scheduler()
    scheduler.schedule(T0 + timedelta(hours=2), "late", {"n": 3})
    scheduler.schedule(T0 + timedelta(hours=1), "b", {"n": 2})
    scheduler.schedule(T0 + timedelta(hours=1), "a", {"n": 1})
    assert scheduler.next_due_at() == T0 + timedelta(hours=1)
    assert scheduler.due(T0) == []
    due = scheduler.due(T0 + timedelta(hours=1))
    assert [action.action_id for action in due] == ["a", "b"]
    assert [action.payload for action in due] == [{"n": 1}, {"n": 2}]
    assert len(scheduler) == 1 and "late" in scheduler and "a" not in scheduler
    assert scheduler.due(T0 + timedelta(hours=1)) == []
    assert [a.action_id for a in scheduler.due(T0 + timedelta(days=1))] == ["late"]
    assert scheduler.next_due_at() is None


def test_scheduler_cancel_and_duplicates():
    scheduler = Scheduler()
    scheduler.schedule(T0, "activate", {"counter": 1})
    with pytest.raises(SchedulingError, match="already scheduled"):
        scheduler.schedule(T0, "activate")
    replaced = scheduler.schedule(T0 + timedelta(days=1), "activate", {"counter": 2},
                                  replace=True)
    assert scheduler.get("activate") == replaced and len(scheduler) == 1
    assert scheduler.cancel("activate").payload == {"counter": 2}
    with pytest.raises(SchedulingError, match="no action 'activate'"):
        scheduler.cancel("activate")
    assert scheduler.due(T0 + timedelta(days=2)) == []


def test_scheduler_rejects_bad_requests_without_changing():
    scheduler = Scheduler()
    scheduler.schedule(T0, "keep")
    bad = [
        (datetime(2024, 1, 1), "naive", {}),
        (T0, "", {}),
        (T0, "float", {"x": 1.5}),
        (T0, "bytes", {"x": b"\x00"}),
        (T0, "key", {1: "x"}),
    ]
    for at, action_id, payload in bad:
        with pytest.raises(SchedulingError):
            scheduler.schedule(at, action_id, payload)
    assert [a.action_id for a in scheduler.actions] == ["keep"]


def test_scheduled_payload_is_a_private_copy():
    scheduler = Scheduler()
    payload = {"list": [1, 2]}
    scheduler.schedule(T0, "x", payload)
    payload["list"].append(3)
    assert scheduler.get("x").payload == {"list": [1, 2]}


def test_scheduler_round_trips_through_a_dict_and_is_deterministic():
    first, second = Scheduler(), Scheduler()
    items = [(T0 + timedelta(minutes=5), "b", {"z": 1, "a": [True, None, "s"]}),
             (T0, "a", {})]
    for at, action_id, payload in items:
        first.schedule(at, action_id, payload)
    for at, action_id, payload in reversed(items):
        second.schedule(at, action_id, payload)
    assert first.to_dict() == second.to_dict()
    assert first.to_json() == second.to_json()
    assert first.to_dict()["actions"][0] == {"action_id": "a",
                                             "due_at": "2024-03-31T00:30:00Z", "payload": {}}
    restored = Scheduler.from_dict(first.to_dict())
    assert restored == first
    assert restored.due(T0 + timedelta(hours=1))[1].payload["a"] == [True, None, "s"]


@pytest.mark.parametrize(("data", "message"), [
    ({"actions": [{"action_id": "a", "due_at": "2024-03-31T00:30:00", "payload": {}}]},
     "Scheduler.actions[0].due_at"),
    ({"actions": [{"action_id": "a", "due_at": "2024-03-31T00:30:00Z", "payload": {}}] * 2},
     "appears twice"),
    ({"actions": [{"action_id": "a", "due_at": "2024-03-31T00:30:00Z",
                   "payload": {"x": 0.5}}]}, "float"),
    ({"actions": [], "extra": 1}, "unknown field 'extra'"),
    ({"actions": [{"due_at": "2024-03-31T00:30:00Z"}]}, "action_id: missing"),
    ([], "expected an object"),
])
def test_scheduler_from_dict_rejects_bad_data(data, message):
    with pytest.raises(InvalidStateError, match=re.escape(message)):
        Scheduler.from_dict(data)


def test_scheduled_action_is_normalised_to_utc():
    local = datetime(2024, 6, 1, 12, tzinfo=timezone(timedelta(hours=1)))
    action = ScheduledAction("x", local)
    assert action.due_at == local and action.due_at.tzinfo is UTC
