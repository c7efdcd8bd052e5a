"""The secrets tests render the county with: one set of test values, in the two forms tests pass them.

The county's ``credentials.yml`` looks secrets up in the environment (:data:`SECRET_ENV`, set for a
session by the ``secret_env`` fixture in ``tests/conftest.py``); tests that render or converge a host
without touching the environment give the same values as host variables instead (:data:`SECRETS`
plus the platform's :data:`HASHES` entry as ``egovnet_admin_password_hash``). The admin hashes are in
each platform's stored format, so the rendered lines are the ones a device prints back.
"""

from __future__ import annotations

from typing import Any

SNMP_USER, SNMP_AUTH_KEY, SNMP_PRIV_KEY = "nmsuser", "Auth-Key-0123", "Priv-Key-4567"
NTP_KEY = "Ntp-Key-89ab"

#: Secrets given as plain host variables (no environment needed).
SECRETS: dict[str, Any] = {
    "egovnet_snmp": {
        "version": 3,
        "user": SNMP_USER,
        "auth_protocol": "sha",
        "auth_key": SNMP_AUTH_KEY,
        "priv_protocol": "aes128",
        "priv_key": SNMP_PRIV_KEY,
    },
    "egovnet_ntp_key": NTP_KEY,
}

#: The admin password hash per platform, in that platform's format.
HASHES = {
    "huawei_vrp5": "$1c$salt0001$0123456789abcdefghijklmnopqrstuvwxyz$",
    "huawei_vrp8": "$1c$salt0002$0123456789abcdefghijklmnopqrstuvwxyz$",
    "h3c_comware7": "$h$6$salt0003$0123456789abcdefghijklmnopqrstuvwxyz==",
    "cisco_ios": "$9$salt0004salt04$0123456789abcdefghijklmnopqrstuvwxyzABCDE",
}

#: The same secrets as the county's credentials.yml looks them up in the environment.
SECRET_ENV = {
    "EGOVNET_SNMP_USER": SNMP_USER,
    "EGOVNET_SNMP_AUTH_KEY": SNMP_AUTH_KEY,
    "EGOVNET_SNMP_PRIV_KEY": SNMP_PRIV_KEY,
    "EGOVNET_NTP_KEY": NTP_KEY,
    **{f"EGOVNET_ADMIN_HASH_{platform.upper()}": value for platform, value in HASHES.items()},
}
