"""egovnet.monitor: the SNMP monitor, the plan's indicators, and the rules that feed the NOC alerts.

Data flow (each step its own module, each module small)::

    monitors/profiles/*.yml --plan.generate--> monitors/poll-plan.yml      (intent -> committed plan)
    inventory + plan --targets--> Target (address, credentials, profile, labels)
    Poller (poller, walk, snmp, v2c): multi-column GETBULK, GET for the rows in use; SNMPv3 authPriv
        through one pysnmp engine, SNMPv2c through the monitor's own BER codec
        -> rows (index/lookup labels, rates over sysUpTime: rates) -> Snapshot (metrics)
    Snapshot + inventory --indicators--> Result per indicator (monitors/indicators.yml)
    Snapshot --alerting.RuleEngine--> egovnet.alerts store/outbox --> sinks (monitors/alerts.yml)
    Snapshot --export--> Prometheus /metrics, var/monitor/snapshot.json;  history -> SQLite trends

``egovnet monitor once|run`` (:mod:`egovnet.monitor.service`) runs that cycle; ``egovnet indicators``
prints the table; ``egovnet monitor generate`` rebuilds the plan.
"""
