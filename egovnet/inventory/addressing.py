"""The IPv6 plan, derived deterministically from the county prefix and explicit numbers.

Nothing here depends on the order of sites or links in the files: a site's /56 comes from its explicit
``site_number``, a link's /64 from the position of its IPv4 /30 inside the point-to-point range, and a
loopback from the device's management IPv4 address. Adding a site or a link therefore never renumbers
another, which is what an IPv6 migration spread over years needs.

Layout inside the county prefix (a /40 in the Qimen plan)::

    <county>:0000::/64        device loopbacks (index = management IPv4 - management network)
    <county>:0001::/48        links, one /64 each (index = the link's /30 within point_to_point)
    <county> + (512 + n)/56   site n (the first two /48 hold the infrastructure blocks above)
"""

from __future__ import annotations

import ipaddress

from egovnet.inventory.model import AddressPlan

#: /56 slots reserved at the start of the county prefix for loopbacks and links (two /48s).
RESERVED_SITE_SLOTS = 512


def site_capacity(plan: AddressPlan) -> int:
    """Largest site number the county prefix can hold."""
    bits = plan.ipv6.site_prefix_length - plan.ipv6.county_prefix.prefixlen
    capacity: int = 2**bits - RESERVED_SITE_SLOTS - 1
    return max(0, capacity)


def site_prefix(plan: AddressPlan, site_number: int) -> ipaddress.IPv6Network:
    """The /56 (site_prefix_length) of site ``site_number``."""
    if not 1 <= site_number <= site_capacity(plan):
        raise ValueError(
            f"site number {site_number} does not fit the county prefix (1..{site_capacity(plan)})"
        )
    county = plan.ipv6.county_prefix
    length = plan.ipv6.site_prefix_length
    base = int(county.network_address) + ((RESERVED_SITE_SLOTS + site_number) << (128 - length))
    return ipaddress.IPv6Network((base, length))


def site_subnet(plan: AddressPlan, site_number: int, index: int) -> ipaddress.IPv6Network:
    """The ``index``-th /64 inside a site's prefix (0 management, 1 users, 2 Wi-Fi, ...)."""
    prefix = site_prefix(plan, site_number)
    if not 0 <= index < 2 ** (64 - prefix.prefixlen):
        raise ValueError(f"subnet index {index} is outside the site's {prefix}")
    return ipaddress.IPv6Network((int(prefix.network_address) + (index << 64), 64))


def link_prefix(plan: AddressPlan, ipv4_subnet: ipaddress.IPv4Network) -> ipaddress.IPv6Network:
    """The /64 of the link whose IPv4 point-to-point subnet is ``ipv4_subnet``."""
    pool = plan.ipv4.point_to_point
    if not ipv4_subnet.subnet_of(pool):
        raise ValueError(f"{ipv4_subnet} is outside the point-to-point range {pool}")
    index = (int(ipv4_subnet.network_address) - int(pool.network_address)) // 4
    county = int(plan.ipv6.county_prefix.network_address)
    links_block = county + (1 << 80)
    return ipaddress.IPv6Network((links_block + (index << 64), plan.ipv6.link_prefix_length))


def link_addresses(
    plan: AddressPlan, a_ipv4: ipaddress.IPv4Interface, b_ipv4: ipaddress.IPv4Interface
) -> tuple[ipaddress.IPv6Interface, ipaddress.IPv6Interface]:
    """IPv6 addresses of both ends, mirroring the IPv4 host numbers (the lower IPv4 end gets ::1)."""
    prefix = link_prefix(plan, a_ipv4.network)
    base = int(prefix.network_address)
    a_low = int(a_ipv4.ip) < int(b_ipv4.ip)
    a = ipaddress.IPv6Interface((base + (1 if a_low else 2), prefix.prefixlen))
    b = ipaddress.IPv6Interface((base + (2 if a_low else 1), prefix.prefixlen))
    return a, b


def loopback(plan: AddressPlan, mgmt_ipv4: ipaddress.IPv4Address) -> ipaddress.IPv6Interface:
    """A device's IPv6 loopback (/128) from its management IPv4 address."""
    net = plan.ipv4.management
    offset = int(mgmt_ipv4) - int(net.network_address)
    return ipaddress.IPv6Interface((int(plan.ipv6.county_prefix.network_address) + offset, 128))
