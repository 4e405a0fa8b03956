"""The query path: saved queries, the engine and its workers, query guards, remote endpoints."""
