"""egovnet.change: running vs intended -> remediation, rollback and convergence (hier_config rules).

Only the per-dialect hier_config rules live here so far (:mod:`egovnet.change.hier`); plan, apply,
verify and backups build on them.
"""

from egovnet.change.hier import is_converged, remediation, rollback

__all__ = ["is_converged", "remediation", "rollback"]
