"""Typed views of parsed documents and the joined cluster model."""
