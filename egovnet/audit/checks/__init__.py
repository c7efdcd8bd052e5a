"""Check kinds: the ``kind`` of a rule's ``check`` picks one of these typed models.

| kind                | scope   | reads                         | module      |
|---------------------|---------|-------------------------------|-------------|
| ``config``          | device  | configuration, per dialect    | config.py   |
| ``manual``          | device  | nothing provable (REVIEW)     | manual.py   |
| ``uplink_dual_stack`` | device | configuration + inventory    | uplinks.py  |
| ``link_speed``      | links   | inventory + interface state   | state.py    |
| ``lldp_links``      | device  | inventory + LLDP              | state.py    |
| ``site_to_core``    | sites   | topology graph (+ LLDP)       | topology.py |
| ``dual_homed``      | device  | topology graph (+ LLDP)       | topology.py |
| ``ha_pair``         | device  | inventory + topology          | topology.py |
| ``sensor_coverage`` | device  | inventory (mirror links)      | topology.py |
| ``coverage``        | sites   | inventory + interface state   | coverage.py |

A new kind is a pydantic model with a ``kind`` literal, subclassing :class:`DeviceCheck` or
:class:`ScopeCheck`, added to :data:`CheckSpec`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from egovnet.audit.checks.base import DeviceCheck, EntityOutcome, Outcome, ScopeCheck
from egovnet.audit.checks.config import ConfigCheck
from egovnet.audit.checks.coverage import CoverageCheck
from egovnet.audit.checks.manual import ManualCheck
from egovnet.audit.checks.state import LinkSpeedCheck, LldpLinksCheck
from egovnet.audit.checks.topology import DualHomedCheck, HaPairCheck, SensorCoverageCheck, SiteToCoreCheck
from egovnet.audit.checks.uplinks import UplinkDualStackCheck

CheckSpec = Annotated[
    ConfigCheck
    | ManualCheck
    | UplinkDualStackCheck
    | LinkSpeedCheck
    | LldpLinksCheck
    | SiteToCoreCheck
    | DualHomedCheck
    | HaPairCheck
    | SensorCoverageCheck
    | CoverageCheck,
    Field(discriminator="kind"),
]

__all__ = ["CheckSpec", "DeviceCheck", "EntityOutcome", "Outcome", "ScopeCheck"]
