"""From an inventory device to connection parameters (credentials resolved, never printed)."""

from __future__ import annotations

from egovnet.devices.session import Target
from egovnet.inventory import Device
from egovnet.inventory.credentials import CredentialError, resolve


def target_for(device: Device, timeout: float = 20.0) -> Target:
    """Connection parameters of ``device``; a missing credential is an error naming host and variable."""
    values = device.vars
    try:
        username = resolve("ansible_user", values.get("ansible_user"))
        password = resolve("ansible_password", values.get("ansible_password"))
        secret = resolve("egovnet_enable_secret", values.get("egovnet_enable_secret"))
    except CredentialError as exc:
        raise CredentialError(f"{device.name}: {exc}") from None
    if not username or not password:
        raise CredentialError(f"{device.name}: ansible_user / ansible_password are not set")
    port = values.get("ansible_port", 22)
    return Target(
        name=device.name,
        platform=device.platform,
        host=str(device.host),
        port=int(port),
        username=str(username),
        password=str(password),
        secret=str(secret) if secret else None,
        timeout=timeout,
    )
