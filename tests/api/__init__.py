"""HTTP API tests for `ronin serve`, written against docs/api.md (the contract)."""
