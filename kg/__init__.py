"""cbec-kg: a knowledge graph of a report on B2C cross-border e-commerce exports."""

__version__ = "0.1.0"
