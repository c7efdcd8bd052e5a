"""Renderings of an audit run: terminal, JUnit XML, SARIF 2.1.0 and HTML (JSON is ``run.to_dict()``)."""

from egovnet.audit.report.html import to_html
from egovnet.audit.report.junit import to_junit
from egovnet.audit.report.sarif import to_sarif
from egovnet.audit.report.terminal import print_diff, print_summary

__all__ = ["print_diff", "print_summary", "to_html", "to_junit", "to_sarif"]
