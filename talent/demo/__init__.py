"""The demo city's talent programme: scholarship rounds of two years (issue 21)."""
