"""The demo city's support applications, in every state of the workflow (issue 21)."""
