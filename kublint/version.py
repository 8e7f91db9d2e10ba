"""The version, in a leaf module: the engine and the CLI read it without importing the package's API."""

__version__ = "0.1.0"
