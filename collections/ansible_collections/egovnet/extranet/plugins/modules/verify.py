#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, egovnet maintainers
# Apache License 2.0 (see the repository's pyproject.toml)

DOCUMENTATION = r"""
---
module: verify
short_description: Gate a change on reachability from the device itself
version_added: "0.1.0"
description:
  - Logs in to O(host) and pings the county core from the device (its own C(ping) / C(ping ipv6)
    through C(egovnet.devices.session.DeviceSession.ping)), over IPv6, IPv4 or both.
  - The task fails when a family is unreachable after O(retries) attempts, so a C(serial) play with
    C(max_fail_percentage=0) stops before the next wave.
  - The default targets are the core's IPv6 loopback (the address C(egovnet ipv6 status) verifies
    against) and the core's management IPv4 address.
  - Read-only; it runs in check mode too (a play usually skips it there, as nothing was changed).
author:
  - egovnet maintainers
options:
  host:
    description: The inventory host to verify from, normally C({{ inventory_hostname }}).
    type: str
    required: true
  family:
    description: Which address family must reach the core.
    type: str
    choices: [ipv6, ipv4, both]
    default: ipv6
  target:
    description:
      - Address to ping instead of the core's. With O(family=both), give both as a list of two
        addresses or leave it out.
    type: list
    elements: str
  retries:
    description: Attempts per family before the host fails (routing may need a moment to converge).
    type: int
    default: 3
  delay:
    description: Seconds between attempts.
    type: float
    default: 2.0
notes:
  - Supports C(check_mode) (the check is read-only and runs as usual).
extends_documentation_fragment:
  - egovnet.extranet.engine
seealso:
  - module: egovnet.extranet.config
"""

EXAMPLES = r"""
- name: Post-check gate — the migrated device reaches the core over IPv6
  egovnet.extranet.verify:
    host: "{{ inventory_hostname }}"
    inventory: "{{ ansible_inventory_sources | first }}"
    family: ipv6

- name: Pre-check — the device reaches the core over IPv4 before it is touched
  egovnet.extranet.verify:
    host: "{{ inventory_hostname }}"
    inventory: "{{ ansible_inventory_sources | first }}"
    family: ipv4
    retries: 1
"""

RETURN = r"""
reachable:
  description: Per family, whether the device reached its target.
  returned: always
  type: dict
  sample: {ipv6: true}
targets:
  description: Per family, the address pinged.
  returned: always
  type: dict
  sample: {ipv6: "2001:db8:1000::1"}
attempts:
  description: Per family, how many pings were sent.
  returned: always
  type: dict
  sample: {ipv6: 1}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.egovnet.extranet.plugins.module_utils import common

MAX_RETRIES = 10


def main():
    argument_spec = dict(
        common.HOST_ARGSPEC,
        family=dict(type="str", choices=["ipv6", "ipv4", "both"], default="ipv6"),
        target=dict(type="list", elements="str"),
        retries=dict(type="int", default=3),
        delay=dict(type="float", default=2.0),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    common.check_egovnet(module)
    if not 1 <= module.params["retries"] <= MAX_RETRIES:
        module.fail_json(msg=f"retries must be between 1 and {MAX_RETRIES}")

    inventory = common.load(module, common.state_dir(module))
    device = common.device(module, inventory)
    targets = common.core_targets(module, inventory)
    result = common.reachability(module, device, targets)
    unreachable = [family for family, ok in result["reachable"].items() if not ok]
    if unreachable:
        reasons = [f"{targets[family]} over {common.FAMILY_NAMES[family]}" for family in unreachable]
        module.fail_json(msg="{} cannot reach {}".format(device.name, " nor ".join(reasons)), changed=False, **result)
    module.exit_json(changed=False, msg=f"{device.name} reaches the core", **result)


if __name__ == "__main__":
    main()
