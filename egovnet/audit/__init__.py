"""egovnet.audit: compliance audits as rules over configurations, state and the topology graph.

``policies/*.yml`` hold the rules (typed by :mod:`egovnet.audit.model`); :func:`collect` reads
devices live (or :func:`read_directory` reads backups); :func:`audit` evaluates every rule and
returns an :class:`AuditRun` of findings (PASS / FAIL / REVIEW, each with evidence), which
:mod:`egovnet.audit.report` renders and :class:`RunStore` keeps for ``egovnet audit diff``.

Example::

    inventory = load_inventory("inventories/qimen")
    snapshots = read_directory("var/backups", inventory)
    run = audit(load_policies(), snapshots, inventory, mode="offline")
    print(run.counts())
"""

from egovnet.audit.collect import collect
from egovnet.audit.engine import audit
from egovnet.audit.offline import read_directory
from egovnet.audit.policies import PolicyError, load_policies
from egovnet.audit.results import AuditRun, Evidence, Finding
from egovnet.audit.store import AuditDiff, RunStore, diff

__all__ = [
    "AuditDiff",
    "AuditRun",
    "Evidence",
    "Finding",
    "PolicyError",
    "RunStore",
    "audit",
    "collect",
    "diff",
    "load_policies",
    "read_directory",
]
