"""monitors/mibs/EGOVNET-LAB-MIB.txt loads in net-snmp and names exactly the OIDs the agent serves."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from egovnet.lab.snmp.mibs.egovnet import EGOVNET_MIB
from egovnet.lab.snmp.registry import Scalar

MIBS = Path(__file__).resolve().parents[3] / "monitors" / "mibs"

# Debian ships net-snmp without the IETF MIB modules (licence), so a bare machine lacks the SMIv2
# base modules every MIB imports. These stand-ins define just what EGOVNET-LAB-MIB imports; they are
# appended to the search path, so real modules, where installed, are found first and used instead.
STAND_INS = {
    "SNMPv2-SMI": """SNMPv2-SMI DEFINITIONS ::= BEGIN
org OBJECT IDENTIFIER ::= { iso 3 }
dod OBJECT IDENTIFIER ::= { org 6 }
internet OBJECT IDENTIFIER ::= { dod 1 }
private OBJECT IDENTIFIER ::= { internet 4 }
enterprises OBJECT IDENTIFIER ::= { private 1 }
END
""",
    "SNMPv2-TC": """SNMPv2-TC DEFINITIONS ::= BEGIN
DisplayString ::= TEXTUAL-CONVENTION
    DISPLAY-HINT "255a"
    STATUS current
    DESCRIPTION "Stand-in for RFC 2579 DisplayString."
    SYNTAX OCTET STRING (SIZE (0..255))
END
""",
    "SNMPv2-CONF": "SNMPv2-CONF DEFINITIONS ::= BEGIN\nEND\n",
}


def translate(*args: str, search: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["snmptranslate", "-m", "+EGOVNET-LAB-MIB", "-M", f"+{search}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def search_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``monitors/mibs`` plus stand-ins for whichever SMIv2 base modules this machine lacks."""
    stand_ins = tmp_path_factory.mktemp("smi")
    for module, text in STAND_INS.items():
        found = subprocess.run(
            ["snmptranslate", "-m", module, "-On", ".1.3"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if f"Cannot find module ({module})" in found.stderr:
            (stand_ins / f"{module}.txt").write_text(text, encoding="ascii")
    return f"{MIBS}:{stand_ins}"


def served_objects() -> dict[str, tuple[int, ...]]:
    """Every name the agent serves under the enterprise arc, with its OID (tables: their columns)."""
    result = {}
    for obj in EGOVNET_MIB:
        if isinstance(obj, Scalar):
            result[obj.name] = obj.oid
        else:
            result[obj.name] = obj.entry[:-1]
            result.update({col.name: (*obj.entry, col.sub) for col in obj.columns})
    return result


def test_mib_loads_without_errors(search_path: str) -> None:
    done = translate("-Tp", "-IR", "egovnetLabMIB", search=search_path)
    assert done.returncode == 0
    # net-snmp lists its search path (which may contain "egovnet" in a checkout path) after any error
    errors = [line for line in done.stderr.splitlines() if not line.startswith("MIB search path:")]
    own_errors = [line for line in errors if "EGOVNET" in line or "egov" in line]
    assert own_errors == []
    assert "egovOltSubscriberTable(2)" in done.stdout and "egovWlcApClients(5)" in done.stdout


def test_every_served_object_is_named_in_the_mib(search_path: str) -> None:
    objects = served_objects()
    done = translate("-On", *(f"EGOVNET-LAB-MIB::{name}" for name in objects), search=search_path)
    assert done.returncode == 0, done.stderr
    resolved = [tuple(int(x) for x in line.strip(".").split(".")) for line in done.stdout.split()]
    assert dict(zip(objects, resolved, strict=True)) == objects


def test_units_and_enumerations_are_documented(search_path: str) -> None:
    text = (MIBS / "EGOVNET-LAB-MIB.txt").read_text(encoding="ascii")
    assert "99999 is NOT an IANA-assigned" in text
    details = translate("-Td", "-OS", "EGOVNET-LAB-MIB::egovCpeSinr", search=search_path).stdout
    assert 'UNITS\t\t"0.1 dB"' in details or 'UNITS "0.1 dB"' in " ".join(details.split())
    enum = translate("-Td", "EGOVNET-LAB-MIB::egovOltRateIndex", search=search_path).stdout
    assert "from500to1000(4)" in enum
