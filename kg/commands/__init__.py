"""The ``cbec-kg`` commands, one module per job; ``kg.cli`` parses the arguments and calls them."""
