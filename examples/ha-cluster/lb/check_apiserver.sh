#!/bin/sh
# Keepalived health check (vrrp_script check_haproxy): the local HAProxy must pass API requests through,
# and the host that holds the VIP must answer on it too.
errorExit() { echo "*** $*" 1>&2; exit 1; }
curl -sfk --max-time 2 https://localhost:6443/readyz -o /dev/null || errorExit "GET https://localhost:6443/readyz"
if ip addr | grep -q 10.20.0.100; then
    curl -sfk --max-time 2 https://10.20.0.100:6443/readyz -o /dev/null || errorExit "GET https://10.20.0.100:6443/readyz"
fi
