"""Resolves the credential forms the inventory allows: environment lookups and Ansible Vault values.

The county inventory never holds a password in plain text; it holds either
``{{ lookup('ansible.builtin.env', 'NAME') }}`` or an ``!vault`` value. Ansible resolves both itself;
egovnet's own connections (Nornir, the monitor) resolve them here, the same way, and never print them.
"""

from __future__ import annotations

import os
import re
from typing import Any

from egovnet.inventory.ansible_yaml import VaultValue

_ENV_LOOKUP = re.compile(
    r"""^\{\{\s*lookup\(\s*['"](?:ansible\.builtin\.)?env['"]\s*,\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\)"""
    r"""(?:\s*\|\s*default\(\s*['"]([^'"]*)['"]\s*\))?\s*\}\}$"""
)


class CredentialError(ValueError):
    """A credential variable could not be resolved; the message names the variable, never its value."""


def _vault_secret() -> bytes:
    for env in ("EGOVNET_VAULT_PASSWORD_FILE", "ANSIBLE_VAULT_PASSWORD_FILE"):
        path = os.environ.get(env)
        if path:
            with open(path, "rb") as handle:
                return handle.read().strip()
    raise CredentialError("an !vault value needs EGOVNET_VAULT_PASSWORD_FILE or ANSIBLE_VAULT_PASSWORD_FILE")


def resolve(name: str, value: Any) -> Any:
    """Resolve one variable's value (strings, vault values, and mappings of them)."""
    if isinstance(value, dict):
        return {key: resolve(f"{name}.{key}", item) for key, item in value.items()}
    if isinstance(value, VaultValue):
        from ansible.parsing.vault import VaultLib, VaultSecret  # heavy import, only when needed

        vault = VaultLib([("default", VaultSecret(_vault_secret()))])
        return vault.decrypt(str(value).encode()).decode()
    if isinstance(value, str) and "{{" in value:
        match = _ENV_LOOKUP.match(value.strip())
        if not match:
            raise CredentialError(f"{name}: only environment lookups and !vault values are supported")
        env, default = match.group(1), match.group(2)
        if env in os.environ:
            return os.environ[env]
        if default is not None:
            return default
        raise CredentialError(f"{name}: environment variable {env} is not set")
    return value


def resolve_optional(name: str, value: Any) -> Any:
    """Like :func:`resolve`, but an unset environment variable yields ``None`` (checked at connect time)."""
    try:
        return resolve(name, value)
    except CredentialError:
        return None
