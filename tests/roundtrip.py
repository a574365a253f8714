"""The parse/build/size round-trip check every codec test goes through."""

from __future__ import annotations

import construct as c


def roundtrip(con: c.Construct, data: bytes):
    """Parse ``data`` with ``con``, build it again and require identical bytes.

    Where the construct has a static size, it must equal the length of ``data``.
    Returns the parsed object for further assertions.
    """
    parsed = con.parse(data)
    rebuilt = con.build(parsed)
    assert rebuilt == data, f"rebuilt {rebuilt.hex()} != original {data.hex()}"
    try:
        size = con.sizeof()
    except (c.SizeofError, KeyError, AttributeError):
        size = None
    if size is not None:
        assert size == len(data), f"sizeof {size} != {len(data)}"
    return parsed
