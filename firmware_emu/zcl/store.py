"""ZCL data a device keeps beyond single attributes: published commands and logs.

Everything lives in ``DeviceState.attribute_values`` so that it persists with the device
and rolls back with it: a published command (calendar parts, tariff information, billing
period, ...) as its ZCL payload bytes, and a log (snapshots, top-ups, debt collections,
samples) as its records' encodings, each prefixed with a 2-byte length.
"""

from __future__ import annotations

from dataclasses import dataclass

from gbcs.errors import DecodeError
from gbcs.gbz.records import ZclRecord

LOG_CAPACITY = 64
"""Entries kept per log before the oldest is dropped."""


def record_key(cluster_id: int, name: str) -> str:
    return f"zcl:{cluster_id:04X}:{name}"


@dataclass
class ZclStore:
    values: dict[str, bytes]

    # -- single records -----------------------------------------------------------------
    def get(self, key: str) -> bytes | None:
        return self.values.get(key)

    def put(self, key: str, data: bytes) -> None:
        self.values[key] = bytes(data)

    def delete(self, key: str) -> None:
        self.values.pop(key, None)

    def record(self, key: str, record_type: type[ZclRecord]) -> ZclRecord | None:
        data = self.values.get(key)
        return None if data is None else record_type.codec.decode(data)

    def put_record(self, key: str, record: ZclRecord) -> None:
        self.values[key] = type(record).codec.encode(record)

    def keys(self, prefix: str) -> list[str]:
        return sorted(key for key in self.values if key.startswith(prefix))

    # -- logs ---------------------------------------------------------------------------
    def log(self, key: str) -> list[bytes]:
        data = self.values.get(key, b"")
        entries, pos = [], 0
        while pos < len(data):
            if pos + 2 > len(data):
                raise DecodeError("truncated stored log entry", pos, key)
            size = int.from_bytes(data[pos:pos + 2], "big")
            entries.append(data[pos + 2:pos + 2 + size])
            pos += 2 + size
        return entries

    def log_records(self, key: str, record_type: type[ZclRecord]) -> list[ZclRecord]:
        return [record_type.codec.decode(entry) for entry in self.log(key)]

    def set_log(self, key: str, entries: list[bytes]) -> None:
        if not entries:
            self.delete(key)
            return
        self.values[key] = b"".join(len(entry).to_bytes(2, "big") + entry
                                    for entry in entries)

    def append_log(self, key: str, record: ZclRecord, capacity: int = LOG_CAPACITY) -> None:
        entries = self.log(key)
        entries.append(type(record).codec.encode(record))
        self.set_log(key, entries[-capacity:])
