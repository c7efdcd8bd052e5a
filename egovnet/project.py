"""Where the project's data directories live: next to the package, in the repository's working tree.

egovnet is installed editable from its repository (``pip install -e .``), and its data (templates,
policies, monitors, playbooks, inventories) are files engineers edit there, not package resources.
"""

from __future__ import annotations

from pathlib import Path

#: The repository root: the directory holding ``ansible.cfg``, ``playbooks/`` and ``egovnet/``.
ROOT = Path(__file__).resolve().parents[1]
