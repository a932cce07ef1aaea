"""The directory's text search: stored search documents per database (documents.py) and the
match and ranking the search filter uses (text.py)."""
