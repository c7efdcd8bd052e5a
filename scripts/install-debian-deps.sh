#!/bin/sh
# Installs the Debian packages egovnet's tests use, only when a tool is missing.
# net-snmp (snmp, snmpd, snmptrapd) is the reference SNMP implementation the twin and the monitor are
# checked against; tshark/tcpdump are the probe benchmark's references; iproute2 builds test namespaces;
# chromium (headless) opens the audit report and the dashboard in their tests, with a CJK font so the
# screenshots show the Chinese labels (wqy-microhei, 5 MB).
set -eu
need=""
command -v snmpbulkwalk >/dev/null 2>&1 || need="$need snmp"
command -v snmpd >/dev/null 2>&1 || need="$need snmpd"
command -v snmptrapd >/dev/null 2>&1 || need="$need snmptrapd"
command -v ip >/dev/null 2>&1 || need="$need iproute2"
command -v tshark >/dev/null 2>&1 || need="$need tshark"
command -v tcpdump >/dev/null 2>&1 || need="$need tcpdump"
ldconfig -p | grep -q 'libpcap.so.0.8' || need="$need libpcap0.8"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need="$need fonts-wqy-microhei"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != "0" ]; then
    echo "egovnet: missing Debian packages:$need (run as root or install them: apt-get install$need)" >&2
    exit 1
fi
echo "egovnet: installing Debian packages:$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
