"""kubeadm configuration written inside another tool's manifest (Cluster API's KubeadmControlPlane): the rules
read it like a kubeadm document, at the spans it is written, but not the rules about a kubeadm file itself."""

from __future__ import annotations

from typing import Any

from kublint.parsers.yaml import PathKey, RawLoc, YamlDocument
from kublint.source import SourceFile


class EmbeddedDocument(YamlDocument):
    """A kubeadm document inside another manifest. Its schema and apiVersion are the embedding tool's, so
    KA001 (schema) and the kubeadm API-version rules do not judge it (:func:`written`)."""

    __slots__ = ("owner",)

    owner: str  # the manifest that holds it, for messages

    def __init__(self, source: SourceFile, index: int, data: Any, raw: dict[PathKey, RawLoc], owner: str):
        super().__init__(source, index, data, raw)
        self.owner = owner


def written(docs: tuple[YamlDocument, ...] | list[YamlDocument]) -> list[YamlDocument]:
    """The kubeadm documents written as kubeadm files, without the embedded ones."""
    return [d for d in docs if not isinstance(d, EmbeddedDocument)]
