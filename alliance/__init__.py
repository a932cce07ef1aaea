"""The Industry Alliance app.

`alliance.scenario_targets` is the old name of alliance.demonstrations.targets, kept for the
programme dashboard (programme/selectors.py) until it imports the new home.
"""

from alliance.demonstrations import targets as scenario_targets

__all__ = ["scenario_targets"]
