"""egovnet.ipv6: the IPv6 dual-stack migration (address plan, status, website checks)."""
