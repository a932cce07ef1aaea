"""Demonstration scenarios (issue 6): projects, field reports, targets and calculators."""
