"""Render-time settings and secrets: inventory variables with documented defaults.

The county inventory does not (yet) hold every knob a device template needs, so each one has a
default here, overridable per host or group like any Ansible variable. Secrets are never given a
plain-text default: they resolve, like ``egovnet.inventory.credentials``, from an environment lookup
or an ``!vault`` value, and a missing one is an error naming the host and the variable.

Variables (all optional; ``egovnet_`` prefix):

========================================  ==========  ===============================================
variable                                  default     meaning
========================================  ==========  ===============================================
``egovnet_ipv6``                          ``false``   render ``ipv6.j2`` (the migration turns it on)
``egovnet_admin_user``                    netadmin    the local administrator account
``egovnet_admin_password_hash``           env         the device-format hash of its password, from
                                                      ``$EGOVNET_ADMIN_HASH_<PLATFORM>`` by default
``egovnet_ntp_key``                       env         NTP authentication key, ``$EGOVNET_NTP_KEY``
``egovnet_ntp_key_id``                    1           NTP key number
``egovnet_mgmt_vlan``                     100         management VLAN (county core: hosts the NMS)
``egovnet_mgmt_prefix_length``            24          prefix of a management VLAN interface
``egovnet_lan_vlan``                      10          site LAN VLAN (gateways, AP ports)
``egovnet_idle_timeout``                  5           minutes, 1..10 (MLPS: <= 10; STIG: <= 5)
``egovnet_login_attempts``                3           failed logins before lockout, 1..5
``egovnet_lockout_minutes``               15          lockout duration
``egovnet_password_min_length``           10          local password length
``egovnet_password_expire_days``          90          password aging, 1..90
``egovnet_password_history``              5           remembered passwords
``egovnet_backup_ospf_cost``              1000        OSPF cost of backup links (both ends)
``egovnet_banner``                        see below   login banner (no ``"``, ``%``, ``^``, ``#``)
========================================  ==========  ===============================================

Defaults are deliberately *not* the vendors' defaults where a baseline line must be visible (idle
timeout 5, lockout 15 min): devices do not print default values, and a line the device never prints
can never be found converged.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from egovnet.inventory.credentials import CredentialError, resolve
from egovnet.render.errors import RenderError

DEFAULT_BANNER = (
    "Authorized access only. This device belongs to the county e-government extranet; "
    "all sessions are logged and audited."
)

#: Characters the three dialects use to delimit a banner; a banner containing one would end early.
_BANNER_DELIMITERS = ('"', "%", "^", "#")


class Settings(BaseModel):
    """The non-secret knobs, validated; field aliases are the inventory variable names."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)
    ipv6: bool = Field(False, alias="egovnet_ipv6")
    admin_user: str = Field("netadmin", alias="egovnet_admin_user", pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")
    ntp_key_id: int = Field(1, alias="egovnet_ntp_key_id", ge=1, le=65535)
    mgmt_vlan: int = Field(100, alias="egovnet_mgmt_vlan", ge=2, le=4094)
    mgmt_prefix_length: int = Field(24, alias="egovnet_mgmt_prefix_length", ge=8, le=30)
    lan_vlan: int = Field(10, alias="egovnet_lan_vlan", ge=2, le=4094)
    idle_timeout: int = Field(5, alias="egovnet_idle_timeout", ge=1, le=10)
    login_attempts: int = Field(3, alias="egovnet_login_attempts", ge=1, le=5)
    lockout_minutes: int = Field(15, alias="egovnet_lockout_minutes", ge=1, le=1440)
    password_min_length: int = Field(10, alias="egovnet_password_min_length", ge=8, le=32)
    password_expire_days: int = Field(90, alias="egovnet_password_expire_days", ge=1, le=90)
    password_history: int = Field(5, alias="egovnet_password_history", ge=1, le=12)
    backup_ospf_cost: int = Field(1000, alias="egovnet_backup_ospf_cost", ge=2, le=65535)
    banner: str = Field(DEFAULT_BANNER, alias="egovnet_banner", min_length=1, max_length=480)

    @field_validator("banner")
    @classmethod
    def _no_delimiters(cls, value: str) -> str:
        bad = [c for c in _BANNER_DELIMITERS if c in value]
        if bad:
            raise ValueError(f"must not contain {bad[0]!r} (it delimits banners on some platforms)")
        return value


def load_settings(host: str, hostvars: dict[str, Any]) -> Settings:
    """Validate the knobs of one host, naming every bad variable in one error."""
    try:
        return Settings.model_validate(hostvars)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in item['loc'])}: {item['msg']}" for item in error.errors()
        )
        raise RenderError(host, f"invalid variable(s): {problems}") from None


#: Logical secret name -> (inventory variable path, default value when the variable is absent).
_SECRETS: dict[str, tuple[str, str | None]] = {
    "admin_hash": ("egovnet_admin_password_hash", None),
    "snmp_user": ("egovnet_snmp.user", None),
    "snmp_auth_key": ("egovnet_snmp.auth_key", None),
    "snmp_priv_key": ("egovnet_snmp.priv_key", None),
    "ntp_key": ("egovnet_ntp_key", "{{ lookup('ansible.builtin.env', 'EGOVNET_NTP_KEY') }}"),
}

_TOKEN = re.compile(r"^\S+$")
#: Secrets hidden when a config is displayed (user names are not secret).
_REDACTED = frozenset({"admin_hash", "snmp_auth_key", "snmp_priv_key", "ntp_key"})
REDACTED = "******"


def env_lookup(name: str) -> str:
    """The inventory's environment-lookup form, as Ansible and ``credentials.resolve`` read it."""
    return "{{ lookup('ansible.builtin.env', '" + name + "') }}"


def admin_hash_env(platform: str) -> str:
    """Environment variable holding a platform's admin password hash (formats differ per vendor)."""
    return f"EGOVNET_ADMIN_HASH_{platform.upper()}"


class Secrets:
    """Lazily resolved secrets of one host: only what a template uses must be available.

    Resolution happens when a template asks (``secret('snmp_auth_key')``), so rendering one
    capability does not demand every credential, and a missing one names host and variable.
    """

    def __init__(self, host: str, platform: str, hostvars: dict[str, Any], hash_pattern: str) -> None:
        self._host = host
        self._platform = platform
        self._vars = hostvars
        self._hash_pattern = re.compile(hash_pattern)
        self._cache: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        """The resolved value of secret ``name`` (a key of ``_SECRETS``)."""
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def redact(self, text: str) -> str:
        """``text`` with every key and hash a template used replaced by ``******`` (for display)."""
        for name, value in self._cache.items():
            if name in _REDACTED:
                text = re.sub(rf"(?<!\S){re.escape(value)}(?!\S)", REDACTED, text)
        return text

    def _resolve(self, name: str) -> str:
        if name not in _SECRETS:
            raise RenderError(self._host, f"templates asked for unknown secret {name!r}")
        variable, default = _SECRETS[name]
        if name == "admin_hash":
            default = env_lookup(admin_hash_env(self._platform))
        raw = _lookup(self._vars, variable)
        if raw is None:
            if default is None:
                raise RenderError(self._host, f"variable {variable} is not defined")
            raw = default
        try:
            value = resolve(variable, raw)
        except CredentialError as error:
            raise RenderError(self._host, str(error)) from None
        if not isinstance(value, str) or not _TOKEN.match(value):
            raise RenderError(self._host, f"{variable}: must be one word without blanks")
        if name == "admin_hash" and not self._hash_pattern.match(value):
            raise RenderError(
                self._host,
                f"{variable}: not a {self._platform} password hash (plain-text passwords are refused)",
            )
        return value


def _lookup(hostvars: dict[str, Any], path: str) -> Any:
    value: Any = hostvars
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value
