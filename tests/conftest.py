from __future__ import annotations

import pytest

from tests.rtds import keystore_dir, messages_dir


@pytest.fixture(scope="session")
def rtds_messages_dir():
    path = messages_dir()
    if not path.is_dir():
        pytest.fail(f"RTDS not found at {path}; set GBCS_RTDS_DIR")
    return path


@pytest.fixture(scope="session")
def rtds_keystore_dir():
    path = keystore_dir()
    if not path.is_dir():
        pytest.fail(f"RTDS keystore not found at {path}; set GBCS_RTDS_DIR")
    return path
