"""Generate benchmark trees: one 7-file cluster, a fleet of 100 clusters, one cluster with a 5,000-node
inventory.

    python3 bench/generate.py OUTDIR [--nodes 5000] [--fleet 100]

The files are realistic (kubeadm v1beta4 Init/Cluster/Join, an etcd-backup CronJob, a native inventory with
hardware, zones and latency, HAProxy and Keepalived configs) and deterministic: the same arguments give the
same bytes.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

ZONES = ("eu1-a", "eu1-b", "eu1-c")


def inventory(name: str, nodes: int, rng: random.Random) -> str:
    lines = [
        "apiVersion: kublint.dev/v1alpha1",
        "kind: Inventory",
        "cluster:",
        f"  name: {name}",
        "  environment: production",
        "  kubernetesVersion: v1.36.2",
        f"  loadBalancer: {{dns: api.{name}.example.com, vip: 10.0.0.100}}",
        "nodes:",
    ]
    for i in range(1, 4):
        lines += [
            f"  - name: cp{i}",
            f"    address: 10.0.0.{10 + i}",
            "    network: 10.0.0.0/16",
            "    roles: [control-plane, etcd]",
            f"    zone: {ZONES[i - 1]}",
            "    hardware:",
            "      cpus: 8",
            "      memoryGiB: 32",
            "      disks:",
            "        - {mount: /, type: ssd}",
            "        - {mount: /var/lib/etcd, type: nvme}",
            "    versions: {kubelet: v1.36.2}",
        ]
    for i in range(nodes - 3):
        a, b = divmod(i, 250)
        lines += [
            f"  - name: worker-{i:05d}",
            f"    address: 10.{1 + a // 250}.{a % 250}.{b + 1}",
            "    roles: [worker]",
            f"    zone: {ZONES[i % 3]}",
            f"    hardware: {{cpus: {rng.choice((8, 16, 32))}, memoryGiB: {rng.choice((32, 64, 128))}}}",
            "    versions: {kubelet: v1.36.2}",
        ]
    lines += [
        "latency:",
        "  - {a: eu1-a, b: eu1-b, rttMs: 0.8}",
        "  - {a: eu1-b, b: eu1-c, rttMs: 1.1}",
        "  - {a: eu1-a, b: eu1-c, rttMs: 1.2}",
        "backups:",
        '  etcd: {schedule: "0 */6 * * *", method: etcdctl-snapshot, target: "s3://backups/etcd",',
        "         encrypted: true,",
        "         includesPki: true, retentionDays: 14}",
    ]
    return "\n".join(lines) + "\n"


INIT = """\
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
nodeRegistration:
  name: cp1
localAPIEndpoint:
  advertiseAddress: 10.0.0.11
  bindPort: 6443
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.36.2
controlPlaneEndpoint: api.{name}.example.com:6443
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
apiServer:
  certSANs: [api.{name}.example.com, 10.0.0.100]
  extraArgs:
    - {{name: audit-log-path, value: /var/log/kubernetes/audit.log}}
    - {{name: audit-log-maxage, value: "30"}}
    - {{name: encryption-provider-config, value: /etc/kubernetes/enc.yaml}}
    - {{name: profiling, value: "false"}}
controllerManager:
  extraArgs:
    - {{name: profiling, value: "false"}}
scheduler:
  extraArgs:
    - {{name: profiling, value: "false"}}
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
serverTLSBootstrap: true
"""

JOIN = """\
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
nodeRegistration:
  name: cp{n}
discovery:
  file:
    kubeConfigPath: /etc/kubernetes/discovery.conf
controlPlane:
  localAPIEndpoint:
    advertiseAddress: 10.0.0.1{n}
    bindPort: 6443
"""

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: etcd-backup, namespace: kube-system}
spec:
  schedule: "0 */6 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: snapshot
              image: registry.k8s.io/etcd:3.6.5-0
              command:
                - /bin/sh
                - -c
                - etcdctl --endpoints=https://127.0.0.1:2379 snapshot save /backup/etcd.db
"""

HAPROXY = """\
global
    log /dev/log local0
    maxconn 4000

defaults
    mode tcp
    timeout connect 5s
    timeout client 35s
    timeout server 35s
    timeout tunnel 1h

frontend kube-apiserver
    bind 10.0.0.100:6443
    default_backend kube-apiserver

backend kube-apiserver
    balance leastconn
    option httpchk
    http-check connect ssl
    http-check send meth GET uri /readyz
    server cp1 10.0.0.11:6443 check verify none
    server cp2 10.0.0.12:6443 check verify none
    server cp3 10.0.0.13:6443 check verify none
"""

KEEPALIVED = """\
global_defs {
    enable_script_security
}
vrrp_script check_haproxy {
    script "/etc/keepalived/check_apiserver.sh"
    interval 3
    weight -20
}
vrrp_instance API {
    state MASTER
    interface eth0
    virtual_router_id 61
    priority 110
    virtual_ipaddress {
        10.0.0.100/16
    }
    track_script {
        check_haproxy
    }
}
"""


def cluster(root: Path, name: str, nodes: int, rng: random.Random) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "inventory.yaml").write_text(inventory(name, nodes, rng))
    (root / "kubeadm-init.yaml").write_text(INIT.format(name=name))
    for n in (2, 3):
        (root / f"kubeadm-join-cp{n}.yaml").write_text(JOIN.format(n=n))
    (root / "etcd-backup.yaml").write_text(CRONJOB)
    (root / "haproxy.cfg").write_text(HAPROXY)
    (root / "keepalived.conf").write_text(KEEPALIVED)


def generate(out: Path, nodes: int = 5000, fleet: int = 100) -> dict[str, Path]:
    rng = random.Random(42)
    trees = {"cluster": out / "cluster", "fleet": out / "fleet", "big-inventory": out / "big-inventory"}
    cluster(trees["cluster"], "prod", 12, rng)
    for i in range(fleet):
        cluster(trees["fleet"] / f"cluster-{i:03d}", f"c{i:03d}", 12, rng)
    cluster(trees["big-inventory"], "huge", nodes, rng)
    return trees


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--fleet", type=int, default=100)
    args = ap.parse_args()
    for name, path in generate(args.out, args.nodes, args.fleet).items():
        print(f"{name}: {path}")


if __name__ == "__main__":
    main()
