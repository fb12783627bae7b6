"""The append-only, hash-chained journal: record format, event codec and chain sealing (pure)."""
