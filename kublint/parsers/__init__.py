"""Parsers: one per file format. Each returns its documents and the problems it met; none raises on "
    "user input."""
