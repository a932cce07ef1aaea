"""The bounds of a database id, shared by filters, serializers and file imports.

An id sent by a user (a query parameter, a field of a request, a cell of a file) beyond these
bounds names no row: checked before the query, it answers as "not found" rather than as an
error of the database.
"""

#: The largest id the database stores (a 64-bit integer).
MAX_ID = 2**63 - 1
