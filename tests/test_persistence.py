import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from firmware_emu.persistence import (
    APPLICATION_ID,
    DEFAULT_FILE_NAME,
    SCHEMA_VERSION,
    DeviceNotStoredError,
    NotAStateStoreError,
    StateStore,
    StoreCorruptError,
    StoreError,
    StoreVersionError,
)
from tests.persistence_child import CHF_EUI, ESME_EUI, states_at

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def expected(step: int) -> dict:
    return {state.eui: state for state in states_at(step)}


@pytest.fixture(params=["memory", "file"])
def store(request, tmp_path):
    opened = StateStore(None if request.param == "memory" else tmp_path / "s.sqlite3")
    yield opened
    opened.close()


def test_transaction_commits_every_device_together(store):
    with store.transaction() as tx:
        for state in states_at(3):
            tx.save(state)
        tx.save_setting("premises", {"name": "lab", "devices": [1, 2]})
    assert store.load_all() == expected(3)
    assert store.load(ESME_EUI) == expected(3)[ESME_EUI]
    assert store.euis() == [ESME_EUI, CHF_EUI]
    assert store.load_setting("premises") == {"name": "lab", "devices": [1, 2]}
    assert store.load_setting("absent", "default") == "default"


def test_failed_transaction_writes_nothing(store):
    with store.transaction() as tx:
        for state in states_at(1):
            tx.save(state)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        for state in states_at(2):
            tx.save(state)
        tx.save_setting("step", 2)
        raise RuntimeError("handler failed")
    assert store.load_all() == expected(1)
    assert store.load_setting("step") is None


def test_save_takes_a_snapshot(store):
    esme = states_at(1)[0]
    with store.transaction() as tx:
        tx.save(esme)
        esme.counters.check_and_advance(bytes(8), 99)
    assert store.load(ESME_EUI).counters.floor(bytes(8)) is None


def test_misuse_gives_clear_errors(store):
    with pytest.raises(DeviceNotStoredError, match="no device 00DB1234567890A0"):
        store.load(ESME_EUI)
    with store.transaction() as tx:
        with pytest.raises(StoreError, match="already open"), store.transaction():
            pass
        with pytest.raises(DeviceNotStoredError):
            tx.delete(ESME_EUI)
        with pytest.raises(StoreError, match="setting"):
            tx.save_setting("ratio", 0.5)
        with pytest.raises(StoreError, match="not dict"):
            tx.save(states_at(1)[0].to_dict())
    with pytest.raises(StoreError, match="already ended"):
        tx.save(states_at(1)[0])
    with store.transaction() as tx:
        tx.save(states_at(1)[0])
    with store.transaction() as tx:
        tx.delete(ESME_EUI)
    assert store.load_all() == {}


def test_file_store_survives_reopening_and_runs_wal_full(tmp_path):
    with StateStore(tmp_path) as store, store.transaction() as tx:
        for state in states_at(5):
            tx.save(state)
    path = tmp_path / DEFAULT_FILE_NAME
    with StateStore(path) as store:
        assert store.load_all() == expected(5)
        assert store._connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    raw.close()


def test_missing_directory_is_reported(tmp_path):
    with pytest.raises(StoreError, match=r"directory .* does not exist"):
        StateStore(tmp_path / "nowhere" / "s.sqlite3")


def _foreign_sqlite(path: Path, *, application_id: int = 0, version: int = 0) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.execute(f"PRAGMA application_id = {application_id}")
    connection.execute(f"PRAGMA user_version = {version}")
    connection.commit()
    connection.close()


def test_files_that_are_not_our_store_are_refused_and_left_alone(tmp_path):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database at all" * 100)
    foreign = tmp_path / "foreign.sqlite3"
    _foreign_sqlite(foreign)
    newer = tmp_path / "newer.sqlite3"
    _foreign_sqlite(newer, application_id=APPLICATION_ID, version=SCHEMA_VERSION + 1)
    before = {path: path.read_bytes() for path in (garbage, foreign, newer)}
    with pytest.raises(NotAStateStoreError, match=r"garbage\.sqlite3 is not a device state"):
        StateStore(garbage)
    with pytest.raises(NotAStateStoreError, match="SQLite database but not a device state"):
        StateStore(foreign)
    with pytest.raises(StoreVersionError, match=f"schema {SCHEMA_VERSION + 1}; this version"):
        StateStore(newer)
    assert {path: path.read_bytes() for path in before} == before


def test_corrupt_rows_are_reported_with_the_device(tmp_path):
    path = tmp_path / "s.sqlite3"
    with StateStore(path) as store, store.transaction() as tx:
        tx.save(states_at(1)[0])
    raw = sqlite3.connect(path)
    raw.execute("UPDATE device_state SET state = replace(state, '\"4.0\"', '\"four\"')")
    raw.commit()
    raw.close()
    with StateStore(path) as store, pytest.raises(
            StoreCorruptError, match=r"device 00DB1234567890A0 is unreadable: .*gbcs_version"):
        store.load(ESME_EUI)


def _run_child(path: Path, last_step: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.persistence_child", str(path),
                             str(last_step)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                            text=True)


def _reported_steps(lines: list[str]) -> list[int]:
    return [int(line.split()[1]) for line in lines if line.startswith("committed")]


def test_sigkill_leaves_exactly_the_last_committed_transaction(tmp_path):
    path = tmp_path / "crash.sqlite3"
    rng = random.Random(20240331)
    previous = 0
    for _ in range(10):
        child = _run_child(path, 1_000_000)
        started = child.stdout.readline()
        assert started == f"started {previous}\n"
        first = child.stdout.readline()  # at least one commit this round
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        reported = _reported_steps([first, *child.stdout.readlines()])
        child.stdout.close()
        with StateStore(path) as store:
            assert store._connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            step = store.load_setting("step")
            # The kill may land between a commit and its "committed" line, never inside one.
            assert step in (reported[-1], reported[-1] + 1)
            assert store.load_all() == expected(step)
        assert step > previous
        previous = step
    child = _run_child(path, previous + 3)
    output, _ = child.communicate(timeout=60)
    assert child.returncode == 0
    assert _reported_steps(output.splitlines()) == [previous + 1, previous + 2, previous + 3]
    with StateStore(path) as store:
        assert store.load_all() == expected(previous + 3)
