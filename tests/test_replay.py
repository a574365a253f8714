"""`fwemu replay` over the whole RTDS: the emulated devices answer like RTDS devices.

Criteria: at least 95% of cases structurally match; every case of the HAN device log,
join/unjoin, firmware, sub-GHz and commissioning use cases matches; every emulated
response and alert verifies with the RTDS keystore plus the generated device keys.
"""

from __future__ import annotations

import contextlib
import io

import pytest

from gbcs.crypto import KeyStore
from gbcs.message import decode_message
from gbcs.secure import CheckStatus, verify_message
from tests.rtds import keystore_dir, messages_dir
from tools.fwemu_cli import main

MUST_PASS = (
    # HAN device log
    "CCS01", "CCS02", "CCS03", "CCS05CCS04", "CCS06", "CCS07", "CS07", "GCS59",
    # join and unjoin
    "CS03A1", "CS03A2Critical", "CS03A2NonCritical", "CS03B", "CS03CCritical",
    "CS03CNonCritical", "CS04ACCritical", "CS04ACNonCritical", "CS04B",
    # firmware
    "CS06", "ECS52", "CS08",
    # sub-GHz
    "DBCH01", "DBCH02", "DBCH03", "DBCH04", "DBCH05",
    # commissioning: clock, MPxN, GPF handover
    "ECS70", "ECS70Commission", "GCS28", "ECS39a", "ECS39b", "GCS41",
    "CS02bSupplierBySupplierHandover",
)


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    out = tmp_path_factory.mktemp("replay")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["replay", str(messages_dir()), "--keys", str(keystore_dir()),
                     "--out", str(out)])
    lines = buffer.getvalue().splitlines()
    return code, lines, out


def test_at_least_95_percent_of_cases_match(replay):
    _, lines, _ = replay
    passed, failed = (int(word) for word in lines[-1].replace(",", "").split()[::2])
    assert passed + failed == 420
    assert passed / (passed + failed) >= 0.95, "\n".join(x for x in lines if "FAIL" in x)


@pytest.mark.parametrize("use_case", MUST_PASS)
def test_named_capabilities_match_in_every_case(replay, use_case):
    _, lines, _ = replay
    cases = [line for line in lines[:-1] if line.split()[1].split("/")[0].split("_", 1)[1]
             == use_case]
    assert cases, f"no RTDS case for {use_case}"
    failures = [line for line in cases if line.startswith("FAIL")]
    assert not failures, "\n".join(failures)


def test_every_emulated_message_verifies(replay):
    _, _, out = replay
    keys = KeyStore.load(keystore_dir())
    keys.add_directory(out / "keys")
    emulated = sorted(out.rglob("*_EMULATED_*_GBCS.HEX"))
    assert len(emulated) >= 400
    for path in emulated:
        report = verify_message(decode_message(bytes.fromhex(path.read_text())), keys)
        statuses = {check.status for check in report.checks}
        assert statuses <= {CheckStatus.VALID}, (path.name, report)
