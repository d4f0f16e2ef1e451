"""`mapping draft`: a working mapping for an unseen council, inferred from its document."""
