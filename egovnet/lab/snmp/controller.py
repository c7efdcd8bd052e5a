"""The MIB instrumentation controller: pysnmp's hook for GET/GETNEXT/GETBULK/SET on every device.

pysnmp calls ``read_variables``/``read_next_variables`` synchronously with the request's varbinds.
The controller finds the addressed device from the transport domain of the request (one UDP socket
per device address, see :mod:`egovnet.lab.snmp.agent`), builds one :class:`DeviceView` per PDU and
stores it in pysnmp's execution context for that message, so the repetitions of a GETBULK share one
snapshot, and answers from the :class:`MibRegistry`.

Access control: this controller replaces pysnmp's MIB tree, so VACM views are not consulted. Community
and USM checks still happen in pysnmp before the controller is called; on top of them the controller
requires SNMPv3 requests to be authPriv, and answers authorizationError otherwise, as net-snmp does
for a ``rouser ... priv`` user. Everything is read-only: a SET answers notWritable.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pysnmp.proto import rfc1902, rfc1905
from pysnmp.smi import error as smi_error
from pysnmp.smi.instrum import AbstractMibInstrumController

from egovnet.lab.model import LabDevice, LabNetwork
from egovnet.lab.snmp.registry import OID, MibRegistry, Missing
from egovnet.lab.snmp.view import DeviceView

log = logging.getLogger(__name__)

REQUEST_CONTEXT = "rfc3412.receiveMessage:request"
_VIEW_KEY = "egovnet.lab.snmp.view"
USM_SECURITY_MODEL = 3
AUTH_PRIV = 3

_MISSING = {Missing.NO_SUCH_OBJECT: rfc1905.noSuchObject, Missing.NO_SUCH_INSTANCE: rfc1905.noSuchInstance}

VarBind = tuple[Any, Any]


class LabMibController(AbstractMibInstrumController):  # type: ignore[misc]
    """Serves the registry's objects for whichever device a request was addressed to."""

    def __init__(
        self,
        network: LabNetwork,
        registry: MibRegistry[DeviceView],
        devices: Mapping[tuple[int, ...], LabDevice],
    ) -> None:
        self.network = network
        self.registry = registry
        self.devices = devices

    def _view(self, context: Mapping[str, Any]) -> DeviceView:
        engine = context["snmpEngine"]
        request = engine.observer.get_execution_context(REQUEST_CONTEXT)
        view: DeviceView | None = request.get(_VIEW_KEY)
        if view is None:
            if request["securityModel"] == USM_SECURITY_MODEL and request["securityLevel"] < AUTH_PRIV:
                raise smi_error.AuthorizationError(idx=0)
            device = self.devices[tuple(request["transportDomain"])]
            view = request[_VIEW_KEY] = DeviceView(self.network, device, engine)
        return view

    def _answer(
        self, var_binds: tuple[VarBind, ...], context: Mapping[str, Any], walk: bool
    ) -> list[VarBind]:
        view = self._view(context)
        answers: list[VarBind] = []
        for index, (name, _value) in enumerate(var_binds):
            requested: OID = tuple(name)
            try:
                if walk:
                    found = self.registry.next(requested, view)
                    answers.append(
                        (name, rfc1905.endOfMibView)
                        if found is None
                        else (rfc1902.ObjectName(found[0]), found[1])
                    )
                else:
                    value = self.registry.get(requested, view)
                    answers.append((name, _MISSING[value] if isinstance(value, Missing) else value))
            except Exception as exc:  # a bug in one getter must not kill the agent: genErr, logged
                log.exception(
                    "SNMP %s %s on %s failed", "GETNEXT" if walk else "GET", requested, view.device.name
                )
                raise smi_error.GenError(name=name, idx=index) from exc
        return answers

    def read_variables(self, *var_binds: VarBind, **context: Any) -> list[VarBind]:
        """GET: the value of each requested instance, or noSuchObject / noSuchInstance."""
        return self._answer(var_binds, context, walk=False)

    def read_next_variables(self, *var_binds: VarBind, **context: Any) -> list[VarBind]:
        """GETNEXT (and each GETBULK repetition): the next instance of each, or endOfMibView."""
        return self._answer(var_binds, context, walk=True)

    def write_variables(self, *var_binds: VarBind, **context: Any) -> list[VarBind]:
        """SET: the twin is read-only over SNMP (configuration changes go through the CLI)."""
        self._view(context)
        raise smi_error.NotWritableError(name=var_binds[0][0] if var_binds else None, idx=0)
