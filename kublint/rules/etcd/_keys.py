"""etcd's config-file keys by version, as data (rules-sources.md section 4; etcd ``server/embed/config.go``
``Config``/``configJSON``/``securityConfig`` json tags at v3.5, v3.6 and v3.7, and ``etcdmain/config.go``).

Versions before 3.5 are checked as 3.5 and versions after 3.7 as 3.7. Keys are the config file's; flags and
``ETCD_*`` variables use the same names for everything but TLS (see ``kublint.model.etcd.FLAG_TO_KEY``).
"""

from __future__ import annotations

from kublint.model.versions import Version

V35, V36, V37 = (3, 5), (3, 6), (3, 7)
VERSIONS = (V35, V36, V37)

# Keys every checked version reads from the config file.
COMMON = frozenset({
    "name", "data-dir", "wal-dir", "snapshot-count", "heartbeat-interval", "election-timeout",
    "initial-election-tick-advance", "quota-backend-bytes", "max-snapshots", "max-wals", "max-txn-ops",
    "max-request-bytes", "max-concurrent-streams", "backend-bbolt-freelist-type", "backend-batch-interval",
    "backend-batch-limit", "listen-peer-urls", "listen-client-urls", "listen-client-http-urls",
    "initial-advertise-peer-urls", "advertise-client-urls", "listen-metrics-urls", "cors", "host-whitelist",
    "initial-cluster", "initial-cluster-state", "initial-cluster-token", "strict-reconfig-check", "pre-vote",
    "discovery-srv", "discovery-srv-name", "force-new-cluster", "unsafe-no-fsync", "auto-compaction-mode",
    "auto-compaction-retention", "client-transport-security", "peer-transport-security",
    "self-signed-cert-validity", "cipher-suites", "tls-min-version", "tls-max-version", "auth-token",
    "auth-token-ttl", "bcrypt-cost", "enable-grpc-gateway", "grpc-keepalive-min-time",
    "grpc-keepalive-interval", "grpc-keepalive-timeout", "socket-options", "enable-pprof", "metrics",
    "logger", "log-level", "log-outputs", "enable-log-rotation", "log-rotation-config-json", "v2-deprecation",
})

# The v2 proxy (removed in 3.6, flags and config keys alike).
V2_PROXY = frozenset({
    "proxy", "proxy-failure-wait", "proxy-refresh-interval", "proxy-dial-timeout", "proxy-write-timeout",
    "proxy-read-timeout",
})

# experimental-* keys of 3.5 that 3.6 still reads (deprecated there) and 3.7 removed. Both spellings of the
# catch-up entries key: the config file's json tag has "catch-up", the flag "catchup".
EXPERIMENTAL_35 = frozenset({
    "experimental-initial-corrupt-check", "experimental-corrupt-check-time",
    "experimental-compact-hash-check-enabled", "experimental-compact-hash-check-time",
    "experimental-enable-lease-checkpoint", "experimental-enable-lease-checkpoint-persist",
    "experimental-compaction-batch-limit", "experimental-compaction-sleep-interval",
    "experimental-watch-progress-notify-interval", "experimental-warning-apply-duration",
    "experimental-bootstrap-defrag-threshold-megabytes", "experimental-enable-distributed-tracing",
    "experimental-distributed-tracing-address", "experimental-distributed-tracing-service-name",
    "experimental-distributed-tracing-instance-id", "experimental-distributed-tracing-sampling-rate",
    "experimental-downgrade-check-time", "experimental-memory-mlock",
    "experimental-txn-mode-write-with-shared-buffer", "experimental-stop-grpc-service-on-defrag",
    "experimental-snapshot-catch-up-entries", "experimental-snapshot-catchup-entries",
})
# experimental-* keys that first appear in 3.6, already deprecated there.
EXPERIMENTAL_36 = frozenset({
    "experimental-peer-skip-client-san-verification", "experimental-warning-unary-request-duration",
    "experimental-max-learners",
})
EXPERIMENTAL = EXPERIMENTAL_35 | EXPERIMENTAL_36

# Keys new in 3.6 (rules-sources.md section 4, "Keys new in 3.6", without the experimental ones above).
SINCE_36 = frozenset({
    "bootstrap-defrag-threshold-megabytes", "compact-hash-check-time", "compaction-batch-limit",
    "compaction-sleep-interval", "corrupt-check-time", "discovery-config", "enable-distributed-tracing",
    "distributed-tracing-address", "distributed-tracing-service-name", "distributed-tracing-instance-id",
    "distributed-tracing-sampling-rate", "downgrade-check-time", "feature-gates",
    "grpc-additional-server-options", "log-format", "max-learners", "memory-mlock",
    "snapshot-catchup-entries", "warning-apply-duration", "warning-unary-request-duration",
    "watch-progress-notify-interval",
})
# Seen in etcd after 3.6; treated as known from 3.7 so that no valid key is reported.
SINCE_37 = frozenset({"disable-log-sampling"})

# Keys of 3.5 only: the v2 API switches, the v2 proxy, and discovery-fallback (a flag only from 3.6 on).
ONLY_35 = frozenset({"enable-v2", "experimental-enable-v2v3", "discovery-fallback"}) | V2_PROXY
# v2 discovery, removed in 3.7.
UNTIL_36 = frozenset({"discovery", "discovery-proxy"})

SECURITY_COMMON = frozenset({
    "cert-file", "key-file", "client-cert-file", "client-key-file", "client-cert-auth", "trusted-ca-file",
    "auto-tls", "allowed-cn", "allowed-hostname",
})
SECURITY_SINCE_36 = frozenset({"skip-client-san-verification"})
SECURITY_BLOCKS = ("client-transport-security", "peer-transport-security")


def table_version(v: Version | None) -> tuple[int, int] | None:
    """The key table that describes etcd ``v``: 3.5 for 3.5 and older, 3.7 for 3.7 and newer."""
    if v is None:
        return None
    key = v.minor_key
    if key <= V35:
        return V35
    if key >= V37:
        return V37
    return V36


def top_level_keys(t: tuple[int, int] | None) -> frozenset[str]:
    """The config file's top-level keys for one table version; every version's keys when it is unknown."""
    if t is None:
        return COMMON | EXPERIMENTAL | SINCE_36 | SINCE_37 | ONLY_35 | UNTIL_36
    keys = set(COMMON)
    if t == V35:
        keys |= EXPERIMENTAL_35 | ONLY_35 | UNTIL_36
    elif t == V36:
        keys |= EXPERIMENTAL | SINCE_36 | UNTIL_36
    else:
        keys |= SINCE_36 | SINCE_37
    return frozenset(keys)


def security_keys(t: tuple[int, int] | None) -> frozenset[str]:
    if t == V35:
        return SECURITY_COMMON
    return SECURITY_COMMON | SECURITY_SINCE_36


def first_version(key: str) -> tuple[int, int] | None:
    """The first checked version that reads ``key`` at the top of a config file."""
    for t in VERSIONS:
        if key in top_level_keys(t):
            return t
    return None


def removed(key: str, t: tuple[int, int] | None) -> bool:
    """``key`` is gone in ``t`` although an earlier version had it (ET004). discovery-fallback is not: 3.6
    still takes it as a flag, so a config file holding it is ET001's."""
    if t is None or t == V35:
        return False
    if key in {"enable-v2", "experimental-enable-v2v3"} | V2_PROXY:
        return True
    return t >= V37 and (key in UNTIL_36 or key.startswith("experimental-"))


def deprecated(key: str, t: tuple[int, int] | None) -> bool:
    """``key`` still works in ``t`` but is deprecated there (ET005)."""
    if t is None or t == V35:
        return False
    if key == "max-snapshots":
        return True
    return t == V36 and key in EXPERIMENTAL


FEATURE_GATES = {
    "experimental-initial-corrupt-check": "InitialCorruptCheck",
    "experimental-compact-hash-check-enabled": "CompactHashCheck",
    "experimental-enable-lease-checkpoint": "LeaseCheckpoint",
    "experimental-enable-lease-checkpoint-persist": "LeaseCheckpointPersist",
    "experimental-txn-mode-write-with-shared-buffer": "TxnModeWriteWithSharedBuffer",
    "experimental-stop-grpc-service-on-defrag": "StopGRPCServiceOnDefrag",
}
RENAMED = {
    "experimental-snapshot-catch-up-entries": "snapshot-catchup-entries",
    "experimental-snapshot-catchup-entries": "snapshot-catchup-entries",
    "experimental-peer-skip-client-san-verification": "peer-transport-security.skip-client-san-verification",
}


def replacement(key: str) -> tuple[str, str | None] | None:
    """What replaces a deprecated or removed key: a config-file key, and the value of a feature gate."""
    if key in FEATURE_GATES:
        return "feature-gates", f"{FEATURE_GATES[key]}=true"
    if key in RENAMED:
        return RENAMED[key], None
    if key in EXPERIMENTAL:
        return key.removeprefix("experimental-"), None
    return None


# What a key that the config file does not read is, when it is something else.
FLAG_ONLY = {
    "config-file": "the path of this very file, given on the command line",
    "client-crl-file": "a command-line flag only; the config file has no CRL key",
    "peer-crl-file": "a command-line flag only; the config file has no CRL key",
    "peer-cert-allowed-cn": "a flag; in the config file write peer-transport-security: {allowed-cn: [...]}",
    "client-cert-allowed-hostname": "a flag; in the config file write client-transport-security: "
                                    "{allowed-hostname: [...]}",
    "peer-cert-allowed-hostname": "a flag; in the config file write peer-transport-security: "
                                  "{allowed-hostname: [...]}",
    "socket-reuse-port": "a flag; in the config file write socket-options: {reuse-port: true}",
    "socket-reuse-address": "a flag; in the config file write socket-options: {reuse-address: true}",
    "discovery-endpoints": "a flag; in the config file v3 discovery goes under discovery-config",
    "discovery-token": "a flag; in the config file v3 discovery goes under discovery-config",
    "raft-read-timeout": "a command-line flag only",
    "raft-write-timeout": "a command-line flag only",
    "peer-skip-client-san-verification": "a flag; in the config file write peer-transport-security: "
                                         "{skip-client-san-verification: true}",
    "debug": "gone since etcd 3.5; use log-level: debug",
    "log-package-levels": "gone since etcd 3.5; use log-level",
}

# time.Duration keys: integer nanoseconds in the config file (ET003).
DURATION_KEYS = frozenset({
    "backend-batch-interval", "grpc-keepalive-min-time", "grpc-keepalive-interval", "grpc-keepalive-timeout",
    "corrupt-check-time", "compact-hash-check-time", "compaction-sleep-interval",
    "watch-progress-notify-interval",
    "warning-apply-duration", "warning-unary-request-duration", "downgrade-check-time",
    "experimental-corrupt-check-time", "experimental-compact-hash-check-time",
    "experimental-compaction-sleep-interval", "experimental-watch-progress-notify-interval",
    "experimental-warning-apply-duration", "experimental-warning-unary-request-duration",
    "experimental-downgrade-check-time",
})


def version_text(t: tuple[int, int]) -> str:
    return f"{t[0]}.{t[1]}"
