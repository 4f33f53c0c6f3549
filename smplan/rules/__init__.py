"""The rule engine's parts: metadata, registry, declarative runner, checks."""
