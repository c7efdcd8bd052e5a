#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, egovnet maintainers
# Apache License 2.0 (see the repository's pyproject.toml)

DOCUMENTATION = r"""
---
module: facts
short_description: Snapshot a device's configuration, interfaces and IPv6 migration state
version_added: "0.1.0"
description:
  - Reads the running configuration of O(host) and returns, as C(ansible_facts.egovnet), its size and
    SHA-256, every interface with its IPv4 and IPv6 addresses (parsed by C(egovnet.configparse), the
    reader the twin and the engine share), and the IPv6 migration state C(egovnet ipv6 status) reports
    (not started, partial, dual-stack, verified; a ping from the device decides verified).
  - Read-only; runs in check mode too.
author:
  - egovnet maintainers
options:
  host:
    description: The inventory host, normally C({{ inventory_hostname }}).
    type: str
    required: true
  ipv6_status:
    description:
      - Classify the IPv6 migration state (one C(ping ipv6) from the device when its uplinks are
        dual-stack). V(false) reads the configuration only.
    type: bool
    default: true
notes:
  - Supports C(check_mode).
extends_documentation_fragment:
  - egovnet.extranet.engine
seealso:
  - module: egovnet.extranet.config
  - module: egovnet.extranet.verify
"""

EXAMPLES = r"""
- name: Snapshot the device before the wave
  egovnet.extranet.facts:
    host: "{{ inventory_hostname }}"
    inventory: "{{ ansible_inventory_sources | first }}"

- name: Show the migration state
  ansible.builtin.debug:
    msg: "{{ ansible_facts.egovnet.ipv6.state }}"
"""

RETURN = r"""
ansible_facts:
  description: Facts added to the host.
  returned: always
  type: dict
  contains:
    egovnet:
      description: The snapshot.
      returned: always
      type: dict
      contains:
        platform:
          description: The inventory platform.
          type: str
          returned: always
          sample: huawei_vrp8
        running_config:
          description: Size in bytes and lines, and SHA-256 of the running configuration as printed.
          type: dict
          returned: always
          sample: {bytes: 8731, lines: 371, sha256: "9f2c..."}
        interfaces:
          description: Per interface, its addresses, IPv6 enablement, shutdown state and description.
          type: dict
          returned: always
          sample:
            10GE1/0/1:
              ipv4: ["10.99.0.45/30"]
              ipv6: ["2001:db8:1000:ff00::1/64"]
              ipv6_enabled: true
              shutdown: false
              description: to qishan-tn-01
        ipv6:
          description: The IPv6 migration state and its evidence (null when O(ipv6_status=false)).
          type: dict
          returned: always
          sample: {state: dual-stack, uplinks: 2, uplinks_v6: 2, ping_target: "2001:db8:1000::1"}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.egovnet.extranet.plugins.module_utils import common


def main():
    argument_spec = dict(
        common.HOST_ARGSPEC,
        ipv6_status=dict(type="bool", default=True),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    common.check_egovnet(module)

    inventory = common.load(module, common.state_dir(module))
    device = common.device(module, inventory)
    facts = common.snapshot(module, inventory, device)
    module.exit_json(changed=False, ansible_facts=dict(egovnet=facts))


if __name__ == "__main__":
    main()
