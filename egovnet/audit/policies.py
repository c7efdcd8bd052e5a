"""Loading ``policies/*.yml``: one file per policy set, validated as a whole.

Errors name the file and the rule (pydantic's location path), and a rule id may appear in one
policy only, since ids are part of every finding's fingerprint.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from egovnet.audit.model import Policy
from egovnet.project import ROOT

DEFAULT_POLICIES = ROOT / "policies"


class PolicyError(ValueError):
    """A policy file is unreadable or invalid; the message names the file and the field."""


def policies_root(root: str | Path | None = None) -> Path:
    """The policies directory: ``root``, else ``$EGOVNET_POLICIES``, else the repository's."""
    if root is not None:
        return Path(root)
    env = os.environ.get("EGOVNET_POLICIES")
    return Path(env) if env else DEFAULT_POLICIES


def load_policy(path: Path) -> Policy:
    """Read and validate one policy file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Policy.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError(f"{path}: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:10]
        )
        raise PolicyError(f"{path}: {problems}") from None


@cache
def _load_all(root: Path) -> tuple[Policy, ...]:
    policies = tuple(load_policy(p) for p in sorted(root.glob("*.yml")))
    seen: dict[str, str] = {}
    for policy in policies:
        for rule in policy.rules:
            if rule.id in seen:
                raise PolicyError(f"rule {rule.id} is in both {seen[rule.id]} and {policy.name}")
            seen[rule.id] = policy.name
    if not policies:
        raise PolicyError(f"no policy files (*.yml) in {root}")
    return policies


def load_policies(names: Sequence[str] | None = None, root: str | Path | None = None) -> list[Policy]:
    """The policies under ``root`` (all, or those named), in file order."""
    policies = list(_load_all(policies_root(root).resolve()))
    if not names:
        return policies
    known = {p.name: p for p in policies}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise PolicyError(f"unknown policy {', '.join(unknown)} (known: {', '.join(known)})")
    return [known[n] for n in names]
