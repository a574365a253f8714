"""The gbcs command line: exit codes, summaries, one-line errors, never a traceback."""

import json
import shutil

import pytest

from tests.rtds import keystore_dir, message, messages_dir
from tools.gbcs_cli import main

ECS17B = "4.1.1_ECS17b/ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE"


@pytest.fixture
def sample(tmp_path):
    source = message(ECS17B).path
    target = tmp_path / "one" / source.name
    target.parent.mkdir()
    shutil.copy(source, target)
    return target


def test_roundtrip_whole_rtds(capsys):
    assert main(["roundtrip", str(messages_dir())]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1080 passed, 0 failed"


def test_verify_whole_rtds(capsys):
    assert main(["verify", "--keys", str(keystore_dir()), str(messages_dir())]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1080 passed, 0 failed"
    assert sum("unverifiable" in line for line in out) == 4  # PCS01/PCS02: device keys


def test_verify_fails_a_flipped_bit(tmp_path, sample, capsys):
    data = bytearray(bytes.fromhex(sample.read_text()))
    data[40] ^= 0x01
    sample.write_text(data.hex().upper())
    assert main(["verify", "--keys", str(keystore_dir()), str(sample)]) == 1
    out = capsys.readouterr().out
    assert "MAC invalid" in out and out.splitlines()[-1] == "0 passed, 1 failed"


def test_malformed_input_is_one_line_with_offset_and_field(tmp_path, sample, capsys):
    bad = tmp_path / "bad.HEX"
    bad.write_text(sample.read_text()[:80])
    assert main(["roundtrip", str(sample), str(bad)]) == 2
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert len(errors) == 1 and str(bad) in errors[0] and "offset" in errors[0]
    assert captured.out.splitlines()[-1] == "1 passed, 1 failed"


def test_not_hex_nor_base64(tmp_path, capsys):
    bad = tmp_path / "x.HEX"
    bad.write_text("this is not a message")
    assert main(["decode", str(bad)]) == 2
    assert "neither hex nor base64" in capsys.readouterr().err


def test_base64_input_and_json(tmp_path, sample, capsys):
    import base64

    b64 = tmp_path / "b64.HEX"
    b64.write_text(base64.b64encode(bytes.fromhex(sample.read_text())).decode())
    assert main(["decode", "--json", "--keys", str(keystore_dir()), str(b64)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["use_case"] == "ECS17b"
    assert {c["status"] for c in document["checks"]} == {"valid"}
    assert document["decrypted"][0]["error"] is None


def test_tree_names_use_case_and_decrypts(sample, capsys):
    assert main(["decode", "--keys", str(keystore_dir()), str(sample)]) == 0
    out = capsys.readouterr().out
    assert "ECS17b Read ESME Energy Registers (Import Energy)" in out
    assert "decryption: valid" in out and "MAC: valid" in out


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["verify", "x.HEX"],
                                  ["decode", "--keys", "/nonexistent", "x"]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("gbcs: ")


def test_missing_path_is_reported_and_others_processed(sample, capsys):
    assert main(["roundtrip", "/nonexistent.HEX", str(sample)]) == 2
    captured = capsys.readouterr()
    assert "no such file" in captured.err
    assert captured.out.splitlines()[-1] == "1 passed, 1 failed"


def test_directory_listing_matches_rglob(tmp_path, monkeypatch):
    from pathlib import Path

    from tools.inputs import _hex_files

    for name in ("a/x.HEX", "a-b/y.hex", "A/z.Hex", "a/b/w.HEX", ".h/q.HEX", "..HEX",
                 "a.HEX", "b.HEXX", "c.hex.", "d", ".HEX", "real/r.HEX"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("DF")
    (tmp_path / "link").symlink_to(tmp_path / "real")  # not descended, as rglob
    (tmp_path / "lf.HEX").symlink_to(tmp_path / "a" / "x.HEX")
    (tmp_path / "dangling.HEX").symlink_to(tmp_path / "nowhere")
    monkeypatch.chdir(tmp_path)
    for directory in (tmp_path, Path("."), Path("a")):
        expected = sorted(p for p in directory.rglob("*")
                          if p.is_file() and p.suffix.upper() == ".HEX")
        assert _hex_files(directory) == [str(p) for p in expected]


def test_files_longer_than_one_read_are_read_whole(tmp_path):
    from tools.inputs import _READ_SIZE, _read_bytes

    for size in (0, 10, _READ_SIZE - 1, _READ_SIZE, _READ_SIZE + 1, 3 * _READ_SIZE + 7):
        path = tmp_path / f"f{size}"
        data = bytes(i % 251 for i in range(size))
        path.write_bytes(data)
        assert _read_bytes(path) == data
