"""Keepalived 2.2.7 keyword tables (data) and the unknown-keyword check that replays keepalived's reader.

Built against the installed ``keepalived`` 2.2.7 (Debian 12) with ``keepalived -t``: every identifier-like
string in the binary (and its suffixes) was tried in each block; a keyword is known when keepalived does not
answer "Unknown keyword". Each known keyword was then classed by how keepalived reads the braces after it:
``block`` (sub-keywords, checked), ``value`` (a list of values, not checked) or ``plain``. keepalived parses
the configuration four times (parent, checker, VRRP, BFD), each time with only its own top-level blocks
active and the others skipped by counting braces; ``PARSES`` lists the active ones. Method and figures:
docs/lb-parsers.md.
"""

from __future__ import annotations

from kublint.parsers.keepalived import KaLine, KeepalivedConfig
from kublint.source import Span
from kublint.suggest import closest

BLOCK, VALUE, PLAIN = "block", "value", "plain"


def _ctx(blocks: str = "", values: str = "", plain: str = "") -> dict[str, str]:
    table = dict.fromkeys(plain.split(), PLAIN)
    table.update(dict.fromkeys(values.split(), VALUE))
    table.update(dict.fromkeys(blocks.split(), BLOCK))
    return table


# context ("" for the top level, "virtual_server/real_server" for nested blocks) -> keyword -> how it is read
CONTEXTS: dict[str, dict[str, str]] = {
    "": _ctx(
        blocks=(
            "SSL bfd_instance garp_group global_defs track_file track_group virtual_server vrrp_instance "
            "vrrp_script vrrp_sync_group vrrp_track_file vrrp_track_process"
        ),
        values=(
            "interface_up_down_delays linkbeat_interfaces static_ipaddress static_routes static_rules "
            "virtual_server_group"
        ),
        plain=(
            "child_wait_time instance linkbeat_use_polling namespace_with_ipsets net_namespace "
            "net_namespace_ipvs use_pid_dir"
        ),
    ),
    "SSL": _ctx(
        plain="ca certificate key password",
    ),
    "bfd_instance": _ctx(
        plain=(
            "checker hoplimit idle_tx max_hops min_rx min_tx multiplier neighbor_ip neighbour_ip passive "
            "source_ip ttl vrrp weight"
        ),
    ),
    "garp_group": _ctx(
        values="interfaces",
        plain="garp_interval gna_interval interface",
    ),
    "global_defs": _ctx(
        values="notification_email",
        plain=(
            "bfd_cpu_affinity bfd_no_swap bfd_priority bfd_process_name bfd_rlimit_rtime bfd_rlimit_rttime "
            "bfd_rt_priority checker_cpu_affinity checker_log_all_failures checker_no_swap checker_priority "
            "checker_process_name checker_rlimit_rtime checker_rlimit_rttime checker_rt_priority "
            "config_save_dir data_use_instance dbus_service_name default_interface disable_local_igmp "
            "dynamic_interfaces enable_dbus enable_script_security enable_snmp_checker "
            "enable_snmp_keepalived enable_snmp_rfc enable_snmp_rfcv2 enable_snmp_rfcv3 enable_snmp_vrrp "
            "enable_traps fifo_write_vrrp_states_on_reload include_check log_unknown_vrids lvs_flush "
            "lvs_flush_on_stop lvs_flush_onstop lvs_netlink_cmd_rcv_bufs lvs_netlink_cmd_rcv_bufs_force "
            "lvs_netlink_monitor_rcv_bufs lvs_netlink_monitor_rcv_bufs_force lvs_notify_fifo "
            "lvs_notify_fifo_script lvs_process_name lvs_sync_daemon lvs_timeouts max_auto_priority "
            "min_auto_priority_delay nftables nftables_counters nftables_ifindex nftables_ipvs "
            "nftables_ipvs_priority nftables_ipvs_start_fwmark nftables_priority no_checker_emails "
            "no_email_faults notification_email_from notify_fifo notify_fifo_script "
            "process_monitor_rcv_bufs process_monitor_rcv_bufs_force process_name process_names random_seed "
            "reload_check_config reload_file reload_repeat reload_time_file router_id rs_init_notifies "
            "script_user shutdown_script shutdown_script_timeout smtp_alert smtp_alert_checker "
            "smtp_alert_vrrp smtp_connect_timeout smtp_helo_name smtp_server snmp_socket startup_script "
            "startup_script_timeout tmp_config_directory umask vmac_addr_prefix vmac_prefix "
            "vrrp_check_unicast_src vrrp_cpu_affinity vrrp_down_timer_adverts vrrp_garp_extra_if "
            "vrrp_garp_interval vrrp_garp_lower_prio_delay vrrp_garp_lower_prio_repeat "
            "vrrp_garp_master_delay vrrp_garp_master_refresh vrrp_garp_master_refresh_repeat "
            "vrrp_garp_master_repeat vrrp_gna_interval vrrp_higher_prio_send_advert vrrp_iptables "
            "vrrp_lower_prio_no_advert vrrp_mcast_group4 vrrp_mcast_group6 vrrp_min_garp "
            "vrrp_netlink_cmd_rcv_bufs vrrp_netlink_cmd_rcv_bufs_force vrrp_netlink_monitor_rcv_bufs "
            "vrrp_netlink_monitor_rcv_bufs_force vrrp_no_swap vrrp_notify_fifo vrrp_notify_fifo_script "
            "vrrp_notify_priority_changes vrrp_priority vrrp_process_name vrrp_rlimit_rtime "
            "vrrp_rlimit_rttime vrrp_rt_priority vrrp_rx_bufs_multiplier vrrp_rx_bufs_policy "
            "vrrp_skip_check_adv_addr vrrp_startup_delay vrrp_strict vrrp_version vrrp_vmac_garp_intvl"
        ),
    ),
    "track_file": _ctx(
        plain="file init_file weight",
    ),
    "track_group": _ctx(
        values="group",
    ),
    "virtual_server": _ctx(
        blocks="real_server",
        plain=(
            "alpha connect_timeout delay_before_retry delay_loop flag-1 flag-2 flag-3 ha_suspend hashed "
            "hysteresis inhibit_on_failure ip_family lb_algo lb_kind lvs_method lvs_sched mh-fallback "
            "mh-port omega ops persistence_engine persistence_granularity persistence_timeout protocol "
            "quorum quorum_down quorum_up retry sh-fallback sh-port smtp_alert snmp_name sorry_server "
            "sorry_server_inhibit sorry_server_lvs_method virtualhost warmup weight"
        ),
    ),
    "virtual_server/real_server": _ctx(
        blocks=(
            "BFD_CHECK DNS_CHECK FILE_CHECK HTTP_GET MISC_CHECK PING_CHECK SMTP_CHECK SSL_GET TCP_CHECK "
            "UDP_CHECK"
        ),
        plain=(
            "alpha connect_timeout delay_before_retry delay_loop inhibit_on_failure lthreshold lvs_method "
            "notify_down notify_up retry smtp_alert snmp_name uthreshold virtualhost warmup weight"
        ),
    ),
    "virtual_server/real_server/BFD_CHECK": _ctx(
        plain="alpha name",
    ),
    "virtual_server/real_server/DNS_CHECK": _ctx(
        plain=(
            "alpha bind_if bind_port bindto connect_ip connect_port connect_timeout delay_before_retry "
            "delay_loop fwmark log_all_failures name retry type warmup"
        ),
    ),
    "virtual_server/real_server/FILE_CHECK": _ctx(
        plain="track_file weight",
    ),
    "virtual_server/real_server/HTTP_GET": _ctx(
        blocks="url",
        plain=(
            "alpha bind_if bind_port bindto connect_ip connect_port connect_timeout delay_before_retry "
            "delay_loop enable_sni fast_recovery fwmark http_protocol log_all_failures nb_get_retry retry "
            "virtualhost warmup"
        ),
    ),
    "virtual_server/real_server/HTTP_GET/url": _ctx(
        plain=(
            "digest path regex regex_max_offset regex_min_offset regex_no_match regex_options regex_stack "
            "status_code virtualhost"
        ),
    ),
    "virtual_server/real_server/MISC_CHECK": _ctx(
        plain=(
            "alpha delay_before_retry delay_loop log_all_failures misc_dynamic misc_path misc_timeout retry "
            "user warmup"
        ),
    ),
    "virtual_server/real_server/PING_CHECK": _ctx(
        plain=(
            "alpha bind_if bind_port bindto connect_ip connect_port connect_timeout delay_before_retry "
            "delay_loop fwmark log_all_failures retry warmup"
        ),
    ),
    "virtual_server/real_server/SMTP_CHECK": _ctx(
        blocks="host",
        plain=(
            "alpha bind_if bind_port bindto connect_ip connect_port connect_timeout delay_before_retry "
            "delay_loop fwmark helo_name log_all_failures retry warmup"
        ),
    ),
    "virtual_server/real_server/SMTP_CHECK/host": _ctx(
        plain=(
            "alpha bind_if bind_port bindto connect_ip connect_port connect_timeout delay_before_retry "
            "delay_loop fwmark log_all_failures retry warmup"
        ),
    ),
    "virtual_server/real_server/SSL_GET": _ctx(
        blocks="url",
        plain=(
            "alpha bind_if bind_port bindto connect_ip connect_port connect_timeout delay_before_retry "
            "delay_loop enable_sni fast_recovery fwmark http_protocol log_all_failures nb_get_retry retry "
            "virtualhost warmup"
        ),
    ),
    "virtual_server/real_server/SSL_GET/url": _ctx(
        plain=(
            "digest path regex regex_max_offset regex_min_offset regex_no_match regex_options regex_stack "
            "status_code virtualhost"
        ),
    ),
    "virtual_server/real_server/TCP_CHECK": _ctx(
        plain=(
            "alpha bind_if bind_port bindto connect_ip connect_port connect_timeout delay_before_retry "
            "delay_loop fwmark log_all_failures retry warmup"
        ),
    ),
    "virtual_server/real_server/UDP_CHECK": _ctx(
        plain=(
            "alpha bind_if bind_port bindto connect_ip connect_port connect_timeout delay_before_retry "
            "delay_loop fwmark log_all_failures max_reply_length min_reply_length payload require_reply "
            "retry warmup"
        ),
    ),
    "vrrp_instance": _ctx(
        blocks="authentication",
        values=(
            "track_bfd track_file track_interface track_process track_script unicast_peer virtual_ipaddress "
            "virtual_ipaddress_excluded virtual_routes virtual_rules"
        ),
        plain=(
            "accept advert_int check_unicast_src debug dont_track_primary down_timer_adverts garp_extra_if "
            "garp_lower_prio_delay garp_lower_prio_repeat garp_master_delay garp_master_refresh "
            "garp_master_refresh_repeat garp_master_repeat higher_prio_send_advert interface "
            "kernel_rx_buf_size linkbeat_use_polling lower_prio_no_advert lvs_sync_daemon_interface "
            "mcast_dst_ip mcast_src_ip native_ipv6 no_accept nopreempt notify notify_backup notify_deleted "
            "notify_fault notify_master notify_master_rx_lower_pri notify_priority_changes notify_stop "
            "old_unicast_checksum preempt preempt_delay priority promote_secondaries skip_check_adv_addr "
            "smtp_alert state strict_mode track_src_ip unicast_fault_no_peer unicast_src_ip unicast_ttl "
            "use_ipvlan use_vmac use_vmac_addr version virtual_router_id vmac_garp_intvl vmac_xmit_base vrf"
        ),
    ),
    "vrrp_instance/authentication": _ctx(
        plain="auth_pass auth_type",
    ),
    "vrrp_script": _ctx(
        plain="fall init_fail interval rise script timeout user weight",
    ),
    "vrrp_sync_group": _ctx(
        values="group track_bfd track_file track_interface track_process track_script",
        plain=(
            "global_tracking notify notify_backup notify_fault notify_master notify_priority_changes "
            "notify_stop smtp_alert sync_group_tracking_weight"
        ),
    ),
    "vrrp_track_file": _ctx(
        plain="file init_file weight",
    ),
    "vrrp_track_process": _ctx(
        plain="delay fork_delay full_command param_match process quorum quorum_max terminate_delay weight",
    ),
}

PARSES: tuple[frozenset[str], ...] = (
    # parent (global settings)
    frozenset(
        {
            "child_wait_time", "global_defs", "instance", "linkbeat_use_polling", "namespace_with_ipsets",
            "net_namespace", "net_namespace_ipvs", "use_pid_dir"
        }
    ),
    # checker (LVS)
    frozenset(
        {
            "SSL", "bfd_instance", "track_file", "virtual_server", "virtual_server_group", "vrrp_track_file"
        }
    ),
    # VRRP
    frozenset(
        {
            "bfd_instance", "garp_group", "interface_up_down_delays", "linkbeat_interfaces",
            "static_ipaddress",
            "static_routes", "static_rules", "track_file", "track_group", "vrrp_instance", "vrrp_script",
            "vrrp_sync_group", "vrrp_track_file", "vrrp_track_process"
        }
    ),
    # BFD
    frozenset(
        {
            "bfd_instance"
        }
    ),
)

Unknown = tuple[Span, str, str | None]  # where, the keyword as keepalived saw it, a close known keyword


class _Frame:
    __slots__ = ("need_bob", "path")

    path: str
    need_bob: bool

    def __init__(self, path: str, need_bob: bool) -> None:
        self.path = path
        self.need_bob = need_bob


def _applies(line: KaLine, config_id: str | None) -> bool:
    """``@id`` lines count only on the node with that id (``@^id``: everywhere else); all without an id."""
    cond = line.condition
    if cond is None or config_id is None:
        return True
    return cond[1:] != config_id if cond.startswith("^") else cond == config_id


def suggest(keyword: str, path: str) -> str | None:
    return closest(keyword, sorted(CONTEXTS.get(path, {})))


def _replay(lines: list[KaLine], active: frozenset[str]) -> list[tuple[int, str]]:
    """One of keepalived's parses (``process_stream``), reduced to what decides which lines it looks up."""
    found: list[tuple[int, str]] = []
    frames = [_Frame("", False)]
    skip = 0  # keepalived's skip_sublevel: -1 waits for a '{' to skip, n > 0 is the brace depth being skipped
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        word = line.values[0]
        if skip == -1:
            if word == "{":
                skip = 1
                frames[-1].need_bob = False
                continue
            skip = 0
        if skip:
            for v in line.values:
                skip += (v == "{") - (v == "}")
                if skip == 0:
                    break
            if word == "}" and skip == 0 and len(frames) > 1:
                frames.pop()
            continue
        frame = frames[-1]
        if frame.need_bob:
            frame.need_bob = False
            if word == "{" and len(frames) > 1:
                continue
        elif word == "{":
            continue  # "Unexpected '{' - ignoring"
        if word == "}" and len(frames) > 1:
            frames.pop()
            continue
        kind = CONTEXTS.get(frame.path, {}).get(word)
        if kind is None:
            if "\n" not in word:  # a multi-line $NAME expands to lines kublint does not replay
                found.append((i - 1, frame.path))
        elif len(frames) == 1 and word not in active:
            skip = -1  # an inactive top-level keyword: its block is skipped by counting braces
        elif kind == BLOCK:
            frames.append(_Frame(f"{frame.path}/{word}" if frame.path else word, True))
        elif kind == VALUE:
            i = _value_block(lines, i)
    return found


def _value_block(lines: list[KaLine], i: int) -> int:
    """``alloc_value_block``: an optional '{' line, then values up to the first '}'."""
    if i < len(lines) and lines[i].values[0] == "{":
        i += 1
    while i < len(lines):
        i += 1
        if lines[i - 1].values[-1] == "}":
            break
    return i


def unknown_keywords(config: KeepalivedConfig, config_id: str | None = None) -> list[Unknown]:
    """Lines keepalived 2.2.7 answers with "Unknown keyword", in stream order, once each.

    The replay follows keepalived, cascades included: a '}' missing in one block makes keepalived read the
    next block's keywords in the wrong place, and it reports them. ``config_id`` picks ``@id`` lines as ``-i``
    does.
    """
    lines = [line for line in config.lines if _applies(line, config_id)]
    seen: dict[int, str] = {}
    for active in PARSES:
        for index, path in _replay(lines, active):
            seen.setdefault(index, path)
    out: list[Unknown] = []
    for index in sorted(seen):
        line = lines[index]
        word = line.words[0]
        out.append((word.span, line.values[0], suggest(line.values[0], seen[index])))
    return out


__all__ = ["BLOCK", "CONTEXTS", "PARSES", "PLAIN", "VALUE", "suggest", "unknown_keywords"]
