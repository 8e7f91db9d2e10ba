#!/bin/sh
# Keepalived health check: the local HAProxy must answer on the API VIP port.
errorExit() { echo "*** $*" 1>&2; exit 1; }
curl -sfk --max-time 2 https://localhost:6443/readyz -o /dev/null || errorExit "GET https://localhost:6443/readyz"
