#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, egovnet maintainers
# Apache License 2.0 (see the repository's pyproject.toml)

DOCUMENTATION = r"""
---
module: config
short_description: Make a device's running configuration equal its intended configuration
version_added: "0.1.0"
description:
  - Renders the intended configuration of O(host) from the egovnet templates and the inventory,
    reads the running configuration, computes the exact remediation (hier_config) and, unless in
    check mode, sends it, commits (VRP V8) and saves, then re-reads the device and requires nothing
    left to do.
  - Any failure after the first line was sent restores the pre-change configuration and proves it
    identical to the backup (RV(rollback_verified)); the task then fails.
  - All the work is done by C(egovnet.change.engine.ChangeEngine), the engine under C(egovnet apply);
    backups (a git repository) and change records go to O(state_dir).
  - The module always converges the B(whole) intended configuration; O(capabilities) selects which
    tasks apply to a device, it never narrows the remediation (see the collection README).
  - Runs on the controller (C(ansible_connection=local)).
author:
  - egovnet maintainers
options:
  host:
    description:
      - The inventory host to converge, normally C({{ inventory_hostname }}).
    type: str
    required: true
  ipv6:
    description:
      - Override the host's C(egovnet_ipv6) for this run (render the IPv6 capability or not).
      - Omitted, the inventory decides. Pass the same value from every task of a play, or two tasks
        will undo each other; the roles pass C({{ egovnet_ipv6 }}).
    type: bool
  capabilities:
    description:
      - The capabilities this task is about (V(base), V(interfaces), V(redundancy), V(ipv6),
        V(security), V(wireless_5g)); each must exist for the host's platform.
      - When none of them applies to the host (IPv6 off, no 5G uplink) the task is skipped and nothing
        is read or sent. Otherwise the whole intended configuration is converged.
    type: list
    elements: str
  commit:
    description:
      - Send the remediation. Defaults to V(true), or V(false) under C(--check).
      - V(false) plans only, like check mode; check mode never sends anything, whatever this says.
    type: bool
notes:
  - Supports C(check_mode) (plans, reports RV(changed) when the remediation is not empty, pushes nothing)
    and C(diff_mode) (running versus intended).
  - Secrets the templates render (keys, password hashes) are masked in every returned value.
extends_documentation_fragment:
  - egovnet.extranet.engine
seealso:
  - module: egovnet.extranet.facts
  - module: egovnet.extranet.verify
"""

EXAMPLES = r"""
- name: Converge the intended configuration
  egovnet.extranet.config:
    host: "{{ inventory_hostname }}"
    inventory: "{{ ansible_inventory_sources | first }}"
    state_dir: /var/lib/egovnet

- name: Migrate to dual stack (render with IPv6 on)
  egovnet.extranet.config:
    host: "{{ inventory_hostname }}"
    inventory: "{{ ansible_inventory_sources | first }}"
    ipv6: true
    capabilities: [ipv6]

- name: Show what would change, without changing it
  egovnet.extranet.config:
    host: "{{ inventory_hostname }}"
    inventory: "{{ ansible_inventory_sources | first }}"
  check_mode: true
  diff: true
"""

RETURN = r"""
status:
  description: The engine's record status.
  returned: always
  type: str
  sample: applied
  choices: [unchanged, planned, applied, rolled_back, failed]
commands:
  description: The exact lines sent, or that would be sent (check mode, O(commit=false)).
  returned: always
  type: list
  elements: str
  sample: ["interface 10GE1/0/1", "ipv6 enable", "ipv6 address 2001:DB8:1000:100::1/64", "quit"]
before:
  description: The running configuration read before the change (also stored as the backup).
  returned: always
  type: str
after:
  description:
    - The configuration the device ends with, as egovnet knows it. The intended configuration when the
      device converged, would converge (check mode) or already was; the restored backup after a rollback.
  returned: always
  type: str
rollback_commands:
  description: The lines that restored the backup after a failure.
  returned: always
  type: list
  elements: str
rollback_verified:
  description: Whether the restored configuration equals the backup byte for byte (null when no rollback).
  returned: always
  type: bool
error:
  description: What went wrong (the device's own error line where it refused one).
  returned: failure
  type: str
capabilities:
  description: The capabilities of the host's intended configuration (all converged together).
  returned: always
  type: list
  elements: str
  sample: [base, interfaces, redundancy, security]
settings:
  description: The render settings in effect for the host (the C(egovnet_*) knobs, defaults applied; no secrets).
  returned: always
  type: dict
  sample: {egovnet_ipv6: true, egovnet_idle_timeout: 5, egovnet_login_attempts: 3}
change_id:
  description: The id of the engine's change record, written as C(<state_dir>/changes/<kind>-<id>.json).
  returned: always
  type: str
backup_commit:
  description: The backup repository's commit holding the pre-change configuration (null when unchanged).
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.egovnet.extranet.plugins.module_utils import common


def main():
    argument_spec = dict(
        common.HOST_ARGSPEC,
        ipv6=dict(type="bool"),
        capabilities=dict(type="list", elements="str"),
        commit=dict(type="bool"),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    common.check_egovnet(module)

    state = common.state_dir(module)
    inventory = common.load(module, state)
    device = common.device(module, inventory)
    overrides = {"egovnet_ipv6": module.params["ipv6"]} if module.params["ipv6"] is not None else None
    renderer = common.renderer(inventory)
    common.hide_secrets(module, renderer, device.name, overrides)

    applicable, settings = common.applicable_capabilities(module, renderer, device.name, overrides)
    commit = module.params["commit"] if module.params["commit"] is not None else True
    if module.check_mode and module.params["commit"]:
        module.warn("check mode: commit=true ignored, nothing is sent")
    result = common.converge(module, renderer, device.name, overrides, commit and not module.check_mode, state)
    result.update(capabilities=applicable, settings=settings)
    if result.pop("failed"):
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
