"""What `gbcs verify` loads: the codecs it needs and nothing that is only there for other
paths (the test PKI and pyasn1, UTRNs, GBT, the message-code and COSEM name tables,
rendering), while every lazily loaded name stays reachable where it always was."""

import subprocess
import sys

import pytest

from tests.rtds import REPO_ROOT

NOT_FOR_VERIFY = ("pyasn1", "gbcs.crypto.issuing", "gbcs.crypto.utrn",
                  "gbcs.framing.gbt", "gbcs.codes", "gbcs.alert_codes",
                  "gbcs.dlms.cosem_names", "gbcs.render")


def _loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, check=True,
                         capture_output=True, text=True)
    return set(run.stdout.split())


def test_verify_codecs_leave_other_paths_unloaded():
    loaded = _loaded_after("import tools.gbcs_cli, gbcs.secure, gbcs.sensitive")
    assert {"gbcs.message", "gbcs.secure", "construct"} <= loaded
    assert not [name for name in NOT_FOR_VERIFY if name in loaded]


@pytest.mark.parametrize(("module", "names"), [
    ("gbcs.crypto", ["CertificateAuthority", "CertificateInfo", "RemotePartyRole",
                     "certificate_info", "generate_key_pair", "Utrn", "ValueClass",
                     "generate_utrn", "parse_utrn", "utrn_from_shared_secret",
                     "verify_utrn"]),
    ("gbcs.dlms", ["COSEM_OBJECTS", "INTERFACE_CLASSES", "CosemObject", "InterfaceClass",
                   "class_name", "describe_attribute", "describe_method",
                   "describe_object"]),
    ("gbcs.dlms.cosem", ["COSEM_OBJECTS", "INTERFACE_CLASSES", "CosemObject",
                         "InterfaceClass", "class_name", "cosem_object",
                         "describe_attribute", "describe_method", "describe_object",
                         "interface_class"]),
])
def test_lazy_names_resolve_where_they_always_were(module, names):
    import importlib

    package = importlib.import_module(module)
    for name in names:
        assert getattr(package, name) is not None
        assert name in dir(package)
    with pytest.raises(AttributeError):
        package.no_such_name  # noqa: B018


def test_star_imports_still_work():
    loaded = _loaded_after("from gbcs.crypto import *\nfrom gbcs.dlms import *\n"
                           "assert CertificateAuthority and COSEM_OBJECTS and verify_utrn")
    assert "gbcs.crypto.issuing" in loaded and "gbcs.dlms.cosem_names" in loaded
