"""egovnet.report: the operator's dashboard (``egovnet report``), built from the latest runs' records.

``build`` gathers the records into one document (``model.ReportDoc``, written as ``report.json``)
from ``monitoring`` (indicators and trends), ``topology`` (sites, links, single points of failure),
``auditing`` (the latest audit run) and ``stores`` (IPv6 status, alerts, probes); ``html`` renders
the page from that document with the pictures of ``svg``. ``templates`` is the page-template loader
the audit's own HTML report shares.

This module imports nothing on purpose: the audit report imports ``egovnet.report.templates`` while
``egovnet.report.auditing`` imports the audit report, and an eager import here would make that a cycle.
"""
