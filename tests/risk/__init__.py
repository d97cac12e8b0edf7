"""Risk tests."""
