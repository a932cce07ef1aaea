"""The portal's own management commands."""
