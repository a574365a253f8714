"""Crash-safe storage of device states in one SQLite file (or in memory).

The emulator commits once per processed command::

    with store.transaction() as tx:
        tx.save(esme_state)
        tx.save(chf_state)

Either every save of the block is durable when the ``with`` block ends or none is: the
database runs in WAL mode with ``synchronous=FULL``, so a crash or SIGKILL at any moment
leaves the last committed transaction, never a partial one. If the block raises, nothing
is written; the in-memory objects the handler changed are not rolled back, so reload
them with :meth:`StateStore.load`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from firmware_emu.state import DeviceState, device_state_from_dict
from firmware_emu.state_codec import StateError, check_json_value, eui_hex

SCHEMA_VERSION = 1
APPLICATION_ID = 0x46574D55  # "FWMU" in the SQLite header marks a store of ours
DEFAULT_FILE_NAME = "fwemu-state.sqlite3"

_SCHEMA = (
    """CREATE TABLE device_state (
        eui TEXT PRIMARY KEY NOT NULL,
        device_type TEXT NOT NULL,
        state TEXT NOT NULL
    ) STRICT""",
    """CREATE TABLE setting (
        name TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    ) STRICT""",
)


class StoreError(StateError):
    """The state store cannot be opened, read or written."""


class NotAStateStoreError(StoreError):
    pass


class StoreVersionError(StoreError):
    pass


class StoreCorruptError(StoreError):
    pass


class DeviceNotStoredError(StoreError, KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _database_file(path: str | Path) -> Path:
    path = Path(path)
    if path.is_dir():
        return path / DEFAULT_FILE_NAME
    if not path.parent.is_dir():
        raise StoreError(f"cannot create state store {path}: directory {path.parent} "
                         f"does not exist")
    return path


class StoreTransaction:
    """Writes collected inside one ``StateStore.transaction()`` block."""

    __slots__ = ("_connection", "_open")

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._open = True

    def _check_open(self) -> None:
        if not self._open:
            raise StoreError("this transaction has already ended")

    def save(self, state: DeviceState) -> None:
        """Store ``state`` as it is now (later changes to the object are not included)."""
        self._check_open()
        if not isinstance(state, DeviceState):
            raise StoreError(f"only device states are stored, not {type(state).__name__}")
        text = state.to_json()
        self._connection.execute(
            "INSERT INTO device_state (eui, device_type, state) VALUES (?, ?, ?) "
            "ON CONFLICT (eui) DO UPDATE SET device_type = excluded.device_type, "
            "state = excluded.state WHERE state IS NOT excluded.state",
            (eui_hex(state.eui), state.identity.device_type.name, text))

    def delete(self, eui: bytes) -> None:
        self._check_open()
        cursor = self._connection.execute("DELETE FROM device_state WHERE eui = ?",
                                          (eui_hex(eui),))
        if cursor.rowcount == 0:
            raise DeviceNotStoredError(f"no device {eui_hex(eui)} in the state store")

    def save_setting(self, name: str, value: Any) -> None:
        """Store an emulator-wide setting (any JSON data without floats)."""
        self._check_open()
        if not isinstance(name, str) or not name:
            raise StoreError("a setting needs a non-empty name")
        try:
            text = _canonical_json(check_json_value(value, name))
        except ValueError as error:
            raise StoreError(f"setting {error}") from None
        self._connection.execute(
            "INSERT INTO setting (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value", (name, text))


class StateStore:
    """Device states keyed by EUI-64; ``path=None`` keeps them in memory only."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = None if path is None else _database_file(path)
        target = ":memory:" if self.path is None else str(self.path)
        try:
            self._connection = sqlite3.connect(target, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open state store {target}: {error}") from None
        self._in_transaction = False
        try:
            self._prepare()
        except sqlite3.OperationalError as error:  # locked, unreadable, disk full, ...
            self._connection.close()
            raise StoreError(f"cannot open state store {target}: {error}") from None
        except sqlite3.DatabaseError as error:
            self._connection.close()
            raise NotAStateStoreError(f"{target} is not a device state store ({error})") \
                from None
        except StoreError:
            self._connection.close()
            raise

    def _prepare(self) -> None:
        connection = self._connection
        connection.execute("PRAGMA busy_timeout = 10000")
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        has_tables = connection.execute(
            "SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        where = self.path or "memory"
        if application_id != APPLICATION_ID and (application_id or version or has_tables):
            raise NotAStateStoreError(f"{where} is an SQLite database but not a device state "
                                      f"store")
        if version > SCHEMA_VERSION:
            raise StoreVersionError(f"{where} has state store schema {version}; this "
                                    f"version of the emulator reads up to {SCHEMA_VERSION}")
        if self.path is not None:
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise StoreError(f"{where}: the file system does not allow WAL mode ({mode})")
        connection.execute("PRAGMA synchronous = FULL")
        if application_id != APPLICATION_ID:
            connection.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have created the store since the check above.
                if connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
                    connection.execute("ROLLBACK")
                    return
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    @contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        """All writes of the block commit together when it ends, or not at all."""
        if self._in_transaction:
            raise StoreError("a transaction is already open on this store")
        self._in_transaction = True
        transaction = StoreTransaction(self._connection)
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            self._in_transaction = False
            raise StoreError(f"cannot start a transaction: {error}") from None
        try:
            yield transaction
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self._connection.execute("COMMIT")
            except sqlite3.Error as error:
                self._rollback()
                raise StoreError(f"commit failed, nothing was saved: {error}") from None
        finally:
            transaction._open = False
            self._in_transaction = False

    def _rollback(self) -> None:
        # SQLite may already have rolled back by itself (I/O error, disk full).
        if self._connection.in_transaction:
            self._connection.execute("ROLLBACK")

    def _decode(self, eui_text: str, text: str) -> DeviceState:
        try:
            return device_state_from_dict(json.loads(text))
        except (ValueError, StateError) as error:
            raise StoreCorruptError(f"stored state of device {eui_text} is unreadable: "
                                    f"{error}") from None

    def load(self, eui: bytes) -> DeviceState:
        row = self._connection.execute("SELECT eui, state FROM device_state WHERE eui = ?",
                                       (eui_hex(eui),)).fetchone()
        if row is None:
            raise DeviceNotStoredError(f"no device {eui_hex(eui)} in the state store")
        return self._decode(*row)

    def load_all(self) -> dict[bytes, DeviceState]:
        """Every stored device, read in one consistent snapshot."""
        rows = self._connection.execute(
            "SELECT eui, state FROM device_state ORDER BY eui").fetchall()
        return {bytes.fromhex(eui): self._decode(eui, text) for eui, text in rows}

    def euis(self) -> list[bytes]:
        rows = self._connection.execute("SELECT eui FROM device_state ORDER BY eui")
        return [bytes.fromhex(eui) for (eui,) in rows]

    def load_setting(self, name: str, default: Any = None) -> Any:
        row = self._connection.execute("SELECT value FROM setting WHERE name = ?",
                                       (name,)).fetchone()
        return default if row is None else json.loads(row[0])

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
