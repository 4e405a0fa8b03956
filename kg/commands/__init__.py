"""The ``cbec-kg`` commands, one module per job; ``kg.cli`` parses the arguments and calls them.

Each command imports its work inside its function, so that every other command starts without it
(``docs/architecture.md``, "Imports inside functions")."""
