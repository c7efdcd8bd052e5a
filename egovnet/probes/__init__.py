"""egovnet.probes: security-situation probes (态势感知探针) on scapy.

* **Passive** (:mod:`egovnet.probes.passive`): detectors (:mod:`egovnet.probes.detectors`) read a
  capture file through a byte prefilter (:mod:`egovnet.probes.pcap`) or a live interface through one
  AF_PACKET socket per detector, each behind its own kernel BPF filter (:mod:`egovnet.probes.live`).
* **Active** (:mod:`egovnet.probes.active`): rate-limited checks against inventory targets only
  (management-plane exposure, default SNMP communities, RA guard, rogue DHCP, firewall policy).
* **Findings** (:mod:`egovnet.probes.findings`) are alert-shaped (rule, severity, ATT&CK, entity,
  evidence, fingerprint, first/last seen, count), stored in SQLite (:mod:`egovnet.probes.store`),
  scored per site and zone with a trend (:mod:`egovnet.probes.score`) and mapped to the NOC alert
  feed (:mod:`egovnet.probes.alerts`).
"""
