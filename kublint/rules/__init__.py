"""Rule implementations, one module a rule, grouped by family. Modules are imported only when selected."""
