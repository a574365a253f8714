"""Device time: clocks that can be set or stepped, and a persistable scheduler.

Every emulated device reads time through a :class:`Clock`, never ``datetime.now``, so
scenarios can run on a :class:`SteppedClock` and a device whose clock was set remotely
(ECS70 / GCS28) keeps its own offset. Future-dated commands are kept in a
:class:`Scheduler` as plain data (an id and a JSON payload, never a callable) so that they
are stored with the rest of the device state and survive a restart.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from firmware_emu.state_codec import (
    InvalidStateError,
    JsonState,
    StateError,
    check_aware,
    check_json_value,
)


class ClockError(StateError, ValueError):
    """A time that cannot be used (naive datetime, stepping backwards, ...)."""


class SchedulingError(StateError, ValueError):
    """A scheduler request that cannot be honoured (duplicate or unknown action id)."""


def as_utc(moment: datetime, what: str = "time") -> datetime:
    """``moment`` converted to UTC; naive datetimes are refused, not guessed."""
    if not isinstance(moment, datetime):
        raise ClockError(f"{what} must be a datetime, not {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ClockError(f"{what} must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime:
        """The current time as an aware UTC datetime."""
        ...


class SystemClock:
    """Real time, shifted by ``offset`` so the device can be set to another time."""

    __slots__ = ("offset",)

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def set_time(self, moment: datetime) -> None:
        """Make ``now()`` read ``moment`` at this instant and run on from there."""
        self.offset = as_utc(moment) - datetime.now(UTC)


class SteppedClock:
    """A clock that only moves when told to: for tests and scripted scenarios."""

    __slots__ = ("_now",)

    def __init__(self, start: datetime) -> None:
        self._now = as_utc(start, "start")

    def now(self) -> datetime:
        return self._now

    def advance(self, step: timedelta) -> datetime:
        if step < timedelta(0):
            raise ClockError(f"cannot step a clock backwards by {-step}")
        self._now += step
        return self._now

    def set_time(self, moment: datetime) -> None:
        """Jump to ``moment`` (either direction, as a remote clock set may)."""
        self._now = as_utc(moment)


class OffsetClock:
    """Another clock's time shifted by ``offset``: a device set to its own time."""

    __slots__ = ("base", "offset")

    def __init__(self, base: Clock, offset: timedelta = timedelta(0)) -> None:
        self.base = base
        self.offset = offset

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def set_time(self, moment: datetime) -> None:
        self.offset = as_utc(moment) - self.base.now()


# ------------------------------------------------------------------------------------
# Scheduler
# ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ScheduledAction(JsonState):
    """A future-dated action: what to do is named by ``action_id`` and ``payload`` data."""

    action_id: str
    due_at: datetime
    payload: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.action_id, str) or not self.action_id:
            raise InvalidStateError("action_id", "must be a non-empty string")
        check_aware(self.due_at, "due_at")
        if not isinstance(self.payload, dict):
            raise InvalidStateError("payload", "must be a JSON object")
        object.__setattr__(self, "due_at", self.due_at.astimezone(UTC))
        # A private deep copy: later changes to the caller's dict do not leak in.
        object.__setattr__(self, "payload", check_json_value(self.payload, "payload"))


def _order(action: ScheduledAction) -> tuple[datetime, str]:
    return action.due_at, action.action_id


@dataclasses.dataclass(slots=True)
class Scheduler(JsonState):
    """Pending future-dated actions of one device, ordered by due time then id."""

    actions: list[ScheduledAction] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        ids = [action.action_id for action in self.actions]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise InvalidStateError("actions", f"action id {duplicates[0]!r} appears twice")
        self.actions.sort(key=_order)

    def schedule(self, at: datetime, action_id: str, payload: dict[str, Any] | None = None,
                 *, replace: bool = False) -> ScheduledAction:
        """Add an action due at ``at``; an existing id is an error unless ``replace``."""
        try:
            action = ScheduledAction(action_id, as_utc(at, "scheduled time"), payload or {})
        except (InvalidStateError, ClockError) as error:
            raise SchedulingError(f"cannot schedule {action_id!r}: {error}") from None
        if action_id in self:
            if not replace:
                raise SchedulingError(f"action {action_id!r} is already scheduled")
            self.cancel(action_id)
        self.actions.append(action)
        self.actions.sort(key=_order)
        return action

    def cancel(self, action_id: str) -> ScheduledAction:
        """Remove and return the pending action ``action_id``."""
        for index, action in enumerate(self.actions):
            if action.action_id == action_id:
                return self.actions.pop(index)
        raise SchedulingError(f"no action {action_id!r} is scheduled")

    def due(self, now: datetime) -> list[ScheduledAction]:
        """Remove and return every action due at or before ``now``, earliest first.

        Removal is part of the device state change: if the emulator dies before it
        commits the effects of these actions, the reloaded state still holds them.
        """
        now = as_utc(now, "now")
        ready = [action for action in self.actions if action.due_at <= now]
        del self.actions[:len(ready)]
        return ready

    def get(self, action_id: str) -> ScheduledAction | None:
        return next((a for a in self.actions if a.action_id == action_id), None)

    def next_due_at(self) -> datetime | None:
        return self.actions[0].due_at if self.actions else None

    def __contains__(self, action_id: object) -> bool:
        return any(action.action_id == action_id for action in self.actions)

    def __len__(self) -> int:
        return len(self.actions)
