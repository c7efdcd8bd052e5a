#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, egovnet maintainers
# Apache License 2.0 (see the repository's pyproject.toml)

DOCUMENTATION = r"""
---
module: backup
short_description: Back up the running configuration of many devices, in parallel, in one commit
version_added: "0.1.0"
description:
  - Reads the running configuration of every device in O(hosts) in parallel and stores each, byte for
    byte, in the backup repository (a git repository under C(<state_dir>/backups), one file per
    device, one commit per run) with C(egovnet.change.engine.ChangeEngine.backup), the engine under
    C(egovnet backup).
  - Meant to run once for a whole play (C(run_once=true), O(hosts=ansible_play_hosts)). Devices without
    a CLI (managed over SNMP only) are left out.
  - The task fails, naming each device, when any device could not be read; the others are still stored.
author:
  - egovnet maintainers
options:
  hosts:
    description: The inventory hosts to back up, normally C({{ ansible_play_hosts }}).
    type: list
    elements: str
    required: true
  workers:
    description: Devices read at once.
    type: int
    default: 20
notes:
  - Supports C(check_mode) (reports what would be backed up; reads and writes nothing).
extends_documentation_fragment:
  - egovnet.extranet.engine
seealso:
  - module: egovnet.extranet.config
"""

EXAMPLES = r"""
- name: Back up the selected devices (one commit)
  egovnet.extranet.backup:
    hosts: "{{ ansible_play_hosts }}"
    inventory: "{{ ansible_inventory_sources | first }}"
    state_dir: /var/lib/egovnet
  run_once: true
"""

RETURN = r"""
backed_up:
  description: The devices whose running configuration was stored.
  returned: always
  type: list
  elements: str
errors:
  description: Per device that could not be read, why.
  returned: always
  type: dict
  sample: {qm-fw-02: "NetmikoTimeoutException: ..."}
skipped_hosts:
  description: Hosts left out because egovnet does not manage them over a CLI.
  returned: always
  type: list
  elements: str
commit:
  description: The backup repository's new commit, or null when no configuration changed since the last one.
  returned: always
  type: str
path:
  description: The backup repository.
  returned: always
  type: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.egovnet.extranet.plugins.module_utils import common


def main():
    argument_spec = dict(
        common.ENGINE_ARGSPEC,
        hosts=dict(type="list", elements="str", required=True),
        workers=dict(type="int", default=20),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    common.check_egovnet(module)

    state = common.state_dir(module)
    inventory = common.load(module, state)
    result = common.backup(module, inventory, state)
    errors = result["errors"]
    if errors:
        total = len(errors) + len(result["backed_up"])
        failed = ", ".join(sorted(errors))
        module.fail_json(msg=f"{len(errors)} of {total} device(s) could not be backed up: {failed}", **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
