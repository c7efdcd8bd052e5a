# -*- coding: utf-8 -*-
# Copyright: (c) 2026, egovnet maintainers
# Apache License 2.0 (see the repository's pyproject.toml)
"""The options every egovnet.extranet module takes to reach the engine (``common.ENGINE_ARGSPEC``).

Documented once here, as the argspec is declared once in ``module_utils/common.py``; a module pulls
both in (``extends_documentation_fragment: egovnet.extranet.engine``) and documents only its own.
"""


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  inventory:
    description:
      - The inventory directory the play runs against, normally C({{ ansible_inventory_sources | first }})
        (for the digital twin that is the overlay C(<run_dir>/inventory)).
      - Falls back to the E(EGOVNET_INVENTORY) environment variable. There is deliberately no other
        default, so a play against the twin can never reach the real devices.
    type: path
  state_dir:
    description:
      - The state directory the modules share with the C(egovnet) CLI, where the backup repository
        (git, C(<state_dir>/backups)), per-device locks, change records and the parsed-inventory cache live.
      - Falls back to E(EGOVNET_STATE_DIR), then C(var) in the current directory.
    type: path
requirements:
  - egovnet (installed in the Python that runs ansible-playbook)
"""
