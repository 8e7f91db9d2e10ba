"""What KA002 (removed kubeadm API versions) and KA003 (deprecated ones) share."""

from __future__ import annotations

from kublint.model.versions import Version

V1BETA3_REMOVED = Version(1, 36)
MIGRATE = "`kubeadm config migrate --old-config old.yaml --new-config new.yaml`"
