"""The click command line: a lazy group, one module per command group, one renderer."""
