"""Django's PostgreSQL backend, with a pool that checks only the connections that sat idle (base.py)."""
