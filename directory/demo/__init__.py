"""The demo city that `manage.py seed_demo` draws: who is who, names, specs, histories,
purchases and the demo logins, all from one random seed."""
