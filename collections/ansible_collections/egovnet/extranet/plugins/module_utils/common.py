# -*- coding: utf-8 -*-
# Copyright: (c) 2026, egovnet maintainers
# Apache License 2.0 (see the repository's pyproject.toml)
"""What the egovnet.extranet modules share: argspecs, the inventory, host checks, and the engine calls.

The modules run on the controller (``ansible_connection: local``) in the Python that runs
``ansible-playbook``, where the ``egovnet`` package is installed; all the logic lives there
(``egovnet.change.engine``, ``egovnet.render``, ``egovnet.ipv6``). This file only adapts it to
Ansible: it loads the inventory the play was given, refuses hosts egovnet cannot drive, and tells
``AnsibleModule`` which rendered values are secrets so they never reach the output.
"""

import hashlib
import ipaddress
import os
import pickle
import tempfile
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from ansible.module_utils.basic import env_fallback, missing_required_lib

try:
    import egovnet
    from egovnet.change.engine import ChangeEngine
    from egovnet.configparse import interfaces_from_text
    from egovnet.devices.dialects import dialect_of, has_cli
    from egovnet.devices.session import DeviceSession
    from egovnet.devices.targets import target_for
    from egovnet.inventory import InventoryError, load_inventory
    from egovnet.inventory.credentials import resolve_optional
    from egovnet.ipv6.status import core_target, device_state
    from egovnet.lab.overlay import OVERLAY_FILE, is_parked
    from egovnet.render import RenderError
    from egovnet.render.engine import Renderer, applicable

    EGOVNET_IMPORT_ERROR = None
except ImportError:  # reported by check_egovnet(), the module then fails cleanly
    EGOVNET_IMPORT_ERROR = traceback.format_exc()

#: Where the engine reads the inventory and keeps its state (every module; documented once, for all of
#: them, in plugins/doc_fragments/engine.py).
ENGINE_ARGSPEC = dict(
    inventory=dict(type="path", fallback=(env_fallback, ["EGOVNET_INVENTORY"])),
    state_dir=dict(type="path", fallback=(env_fallback, ["EGOVNET_STATE_DIR"])),
)

#: The per-host modules' options: the engine's, plus the host the task runs for.
HOST_ARGSPEC = dict(ENGINE_ARGSPEC, host=dict(type="str", required=True))

#: Rendered values that are secrets (egovnet.render.settings resolves them; never printed).
SECRET_NAMES = ("admin_hash", "snmp_auth_key", "snmp_priv_key", "ntp_key")
#: Inventory variables holding login secrets (resolved the way egovnet.devices.targets does).
LOGIN_SECRETS = ("ansible_password", "egovnet_enable_secret")

#: How the address families are named in messages.
FAMILY_NAMES = {"ipv4": "IPv4", "ipv6": "IPv6"}

#: Bumped when the cached form of an inventory changes shape.
_CACHE_FORMAT = 1


def check_egovnet(module):
    """Fail the module when the controller's Python cannot import egovnet."""
    if EGOVNET_IMPORT_ERROR is not None:
        module.fail_json(
            msg=missing_required_lib("egovnet (pip install -e . in the venv that runs ansible-playbook)"),
            exception=EGOVNET_IMPORT_ERROR,
        )


def state_dir(module):
    """``state_dir``, else ``$EGOVNET_STATE_DIR``, else ``var`` (as the ``egovnet`` CLI)."""
    return os.path.abspath(module.params.get("state_dir") or "var")


def _fingerprint(path):
    """Hash of every file under an inventory directory: name, size and modification time."""
    digest = hashlib.sha256((f"{_CACHE_FORMAT}|{egovnet.__file__}|{os.path.realpath(path)}").encode())
    if os.path.isfile(path):
        entries = [path]
    else:
        entries = []
        for root, dirs, files in os.walk(path, followlinks=True):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            entries += [os.path.join(root, name) for name in sorted(files) if not name.startswith(".")]
    for entry in entries:
        stat = os.stat(entry)
        digest.update(f"{os.path.relpath(entry, path)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load(module, cache_dir=None):
    """The validated inventory the play runs against (``inventory`` option), or fail naming every issue.

    Loading and validating the county takes about a second and every task of every host would pay it,
    so the result is kept under ``<state_dir>/cache`` keyed by the names, sizes and modification times
    of the inventory's files; any edit loads afresh. The cache lives with the backups and is trusted
    as much as they are.
    """
    path = module.params.get("inventory")
    if not path:
        module.fail_json(
            msg='inventory is required: pass inventory: "{{ ansible_inventory_sources | first }}" '
            "(the directory given to -i) or set EGOVNET_INVENTORY"
        )
    if not os.path.exists(path):
        module.fail_json(msg=f"inventory {path} does not exist")
    cached = None
    if cache_dir:
        cached = os.path.join(cache_dir, "cache", f"inventory-{_fingerprint(path)}.pickle")
        if os.path.isfile(cached):
            try:
                with open(cached, "rb") as handle:
                    return pickle.load(handle)
            except Exception:  # a stale or truncated cache entry is simply rebuilt
                pass
    try:
        inventory = load_inventory(path)
    except InventoryError as error:
        module.fail_json(
            msg=f"inventory {path} is invalid ({len(error.issues)} issue(s))",
            issues=[f"{i.file}: {i.key}: {i.reason}" for i in error.issues],
        )
    if cached:
        _store(cached, inventory)
    return inventory


def _store(path, inventory):
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".inventory-")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(inventory, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # atomic: parallel hosts never read a half-written entry
    except OSError:
        pass  # a read-only state directory only costs speed


def device(module, inventory):
    """The inventory device of ``host``; a host egovnet does not drive over a CLI is skipped."""
    name = module.params["host"]
    found = inventory.devices.get(name)
    if found is None:
        module.fail_json(msg="{} is not a device of inventory {}".format(name, module.params["inventory"]))
    if not has_cli(found.platform):
        module.exit_json(
            changed=False,
            skipped=True,
            msg=f"{name} (platform {found.platform}) has no CLI dialect; egovnet manages it over SNMP only",
        )
    if not served(module, found):
        module.exit_json(
            changed=False,
            skipped=True,
            msg=f"{name} is not served by the twin this overlay inventory belongs to (address {found.host})",
        )
    return found


def served(module, found):
    """False for a device of a twin's overlay inventory that the twin does not serve.

    ``egovnet lab up --limit`` writes an overlay listing the whole county: the twin's devices point at
    their 127.0.0.0/8 addresses, the others are parked on an unused loopback address (or, from older
    twins, keep their real one). A play against the twin skips them, whatever its ``--limit``.
    """
    if not os.path.isfile(os.path.join(module.params["inventory"], OVERLAY_FILE)):
        return True
    return found.host.is_loopback and not is_parked(found)


def renderer(inventory):
    """The renderer every step of one task shares (one topology index over the inventory)."""
    return Renderer(inventory)


def hide_secrets(module, renderer, name, overrides=None):
    """Register the host's rendered secrets and login password as no_log values (masked in results)."""
    inventory = renderer.inventory
    try:
        secret = renderer.context(name, overrides).secret
    except Exception:  # rendering errors are reported by the engine itself
        return
    for key in SECRET_NAMES:
        try:
            module.no_log_values.add(secret(key))
        except Exception:  # a secret the templates of this host never need
            continue
    for variable in LOGIN_SECRETS:
        try:
            value = resolve_optional(variable, inventory.devices[name].vars.get(variable))
        except Exception:  # reported when the engine connects
            continue
        if isinstance(value, str) and value:
            module.no_log_values.add(value)


def applicable_capabilities(module, renderer, name, overrides):
    """The host's capabilities that apply and its render settings; skip when none of ``capabilities`` does."""
    try:
        context = renderer.context(name, overrides)
    except RenderError as error:
        module.fail_json(msg=str(error), status="failed", commands=[])
    known = context.dialect.capabilities
    applies = [c for c in known if applicable(context, c)]
    wanted = module.params.get("capabilities") or []
    unknown = [c for c in wanted if c not in known]
    if unknown:
        module.fail_json(
            msg="unknown capability {} for platform {} (known: {})".format(
                ", ".join(unknown), context.device.platform, ", ".join(known)
            )
        )
    if wanted and not any(c in applies for c in wanted):
        module.exit_json(
            changed=False,
            skipped=True,
            capabilities=applies,
            msg="{} does not apply to {}".format(", ".join(wanted), name),
        )
    return applies, context.settings.model_dump(mode="json", by_alias=True)


def converge(module, renderer, name, overrides, commit, state):
    """Run the engine on one host; return the module result (with ``failed``), secrets masked on exit.

    The engine is given the module's renderer (so the intended text it renders is the one returned)
    and a session that keeps the first running configuration it reads: the pre-change backup.
    """
    rendered, read = {}, {}

    def render(_inventory, host):
        rendered[host] = renderer.render(host, overrides)
        return rendered[host]

    class RecordingSession(DeviceSession):
        def running_config(self):
            text = super().running_config()
            read.setdefault(self.target.name, text)
            return text

    engine = ChangeEngine(
        renderer.inventory,
        state_dir=Path(state),
        workers=1,
        overrides=overrides,
        renderer=render,
        connect=RecordingSession,
    )
    run = engine.run([name], commit=commit, limit=name)
    record = run.hosts[0]
    before, intended = read.get(name, ""), rendered.get(name, "")
    if record.status == "rolled_back":
        after = before  # proved byte-identical to the backup
    elif record.status == "failed":
        after = ""  # not proved: the device may be anywhere between before and intended
    else:
        after = intended
    result = dict(
        changed=record.status in ("applied", "planned")
        or (record.status == "failed" and record.rollback_verified is False),
        failed=record.failed,
        status=record.status,
        commands=list(record.commands),
        before=before,
        after=after,
        rollback_commands=list(record.rollback_commands),
        rollback_verified=record.rollback_verified,
        change_id=run.id,
        backup_commit=run.backup_commit,
        msg=_message(record),
    )
    if record.error:
        result["error"] = record.error
    if module._diff and record.commands and intended:
        result["diff"] = dict(
            before=before,
            after=intended,
            before_header=f"{name} (running)",
            after_header=f"{name} (intended)",
        )
    return result


def _message(record):
    count = len(record.commands)
    if record.status == "unchanged":
        return f"{record.host} already converged"
    if record.status == "planned":
        return f"{record.host}: {count} command(s) to converge (not sent)"
    if record.status == "applied":
        return f"{record.host}: {count} command(s) sent, committed, saved and verified"
    if record.status == "rolled_back":
        return f"{record.host}: change failed, rolled back, restored config identical to the backup: {record.error}"
    return f"{record.host}: {record.error or record.status}"


def core_targets(module, inventory):
    """Family -> address to ping: ``target`` when given, else the county core's (see egovnet.ipv6.status)."""
    family = module.params["family"]
    families = ["ipv6", "ipv4"] if family == "both" else [family]
    given = module.params.get("target") or []
    if given and len(given) != len(families):
        module.fail_json(msg="target: give one address per family checked ({})".format(", ".join(families)))
    if given:
        for family, address in zip(families, given, strict=True):
            try:
                version = ipaddress.ip_address(address).version
            except ValueError:
                module.fail_json(msg=f"target {address!r} is not an IP address")
            if f"ipv{version}" != family:
                module.fail_json(msg=f"target {address} is not an {FAMILY_NAMES[family]} address")
        return dict(zip(families, given, strict=True))
    cores = sorted(d.name for d in inventory.devices.values() if d.role == "core")
    if not cores:
        module.fail_json(msg="the inventory has no device with role core; pass target")
    defaults = {"ipv6": core_target(inventory), "ipv4": str(inventory.devices[cores[0]].mgmt_ipv4)}
    return dict((f, defaults[f]) for f in families)


def reachability(module, device, targets):
    """Ping every target from the device, up to ``retries`` times each, on one CLI session."""
    reachable, attempts = {}, {}
    try:
        with DeviceSession(target_for(device)) as session:
            for family, address in targets.items():
                attempts[family] = 0
                reachable[family] = False
                while attempts[family] < module.params["retries"] and not reachable[family]:
                    if attempts[family]:
                        time.sleep(max(0.0, module.params["delay"]))
                    attempts[family] += 1
                    reachable[family] = session.ping(address)
    except Exception as error:  # unreachable device, refused login: the gate fails with the reason
        module.fail_json(
            msg=f"{device.name}: cannot check reachability: {type(error).__name__}: {error}",
            targets=targets,
        )
    return dict(reachable=reachable, targets=targets, attempts=attempts)


class _ReadOnce:
    """A session whose running configuration is read once (``device_state`` reads it again)."""

    def __init__(self, session, text):
        self._session = session
        self._text = text

    def running_config(self):
        return self._text

    def ping(self, address):
        return self._session.ping(address)


def snapshot(module, inventory, device):
    """Running-config size and hash, interfaces with addresses, and the IPv6 migration state."""
    dialect = dialect_of(device.platform)
    try:
        with DeviceSession(target_for(device)) as session:
            text = session.running_config()
            ipv6 = None
            if module.params["ipv6_status"]:
                record = device_state(inventory, device.name, _ReadOnce(session, text), core_target(inventory))
                ipv6 = asdict(record)
    except Exception as error:  # unreachable device or refused login
        module.fail_json(msg=f"{device.name}: cannot read the device: {type(error).__name__}: {error}")
    interfaces = {}
    for name, conf in sorted(interfaces_from_text(text, dialect.name).items()):
        interfaces[name] = dict(
            description=conf.description,
            shutdown=conf.shutdown,
            ipv4=[str(a) for a in conf.ipv4],
            ipv6=[str(a) for a in conf.ipv6],
            ipv6_enabled=conf.ipv6_enabled,
        )
    data = text.encode("utf-8")
    return dict(
        platform=device.platform,
        dialect=dialect.name,
        running_config=dict(bytes=len(data), lines=len(text.splitlines()), sha256=hashlib.sha256(data).hexdigest()),
        interfaces=interfaces,
        ipv6=ipv6,
    )


def backup(module, inventory, state):
    """The engine's parallel backup of ``hosts``; returns the module result (secrets never included)."""
    names = module.params["hosts"]
    unknown = sorted(n for n in names if n not in inventory.devices)
    if unknown:
        module.fail_json(msg="not devices of inventory {}: {}".format(module.params["inventory"], ", ".join(unknown)))
    cli = [n for n in names if has_cli(inventory.devices[n].platform) and served(module, inventory.devices[n])]
    skipped = sorted(set(names) - set(cli))
    engine = ChangeEngine(inventory, state_dir=Path(state), workers=max(1, module.params["workers"]))
    result = dict(changed=False, skipped_hosts=skipped, path=str(engine.backups.path), backed_up=[], errors={})
    if module.check_mode:
        result.update(commit=None, msg=f"check mode: would back up {len(cli)} device(s)")
        return result
    errors, commit = engine.backup(cli)
    result.update(
        changed=commit is not None,
        commit=commit,
        backed_up=sorted(n for n, error in errors.items() if not error),
        errors=dict((n, error) for n, error in errors.items() if error),
        msg=f"backed up {len(cli)} device(s) to {engine.backups.path} (commit {commit or 'unchanged'})",
    )
    return result
