"""Telling a lost database connection from other errors, and dropping the broken ones.

Used by the retry of reads in :mod:`offlabel.web.config.middleware` and by the account gate
(:mod:`offlabel.web.accounts.middleware`), whose reads run before any view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connections

T = TypeVar("T")

#: PostgreSQL error codes of a connection the server ended (class 08: connection exception;
#: 57P01-57P03: administrator or crash shutdown, cannot connect now). 57014 (a statement
#: timeout) is not one: the connection still works.
LOST_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def connection_lost(error: BaseException) -> bool:
    """The error came from a connection that no longer works (terminated, network, restart).

    Told by the driver's error (PostgreSQL's error code; psycopg gives none when the client
    itself lost the connection), or by the connection failing a health check now. The error is
    the test that counts: after a failed transaction Django may already have opened a new
    connection, which is healthy.
    """
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    if cause is not None and type(cause).__module__.startswith("psycopg"):
        sqlstate = getattr(cause, "sqlstate", None)
        return sqlstate is None or sqlstate.startswith(LOST_SQLSTATES)
    return any(
        conn.connection is None or not conn.is_usable()
        for conn in connections.all(initialized_only=True)
    )


def drop_broken_connections() -> None:
    """Close every connection that no longer works, so the next query opens a new one."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.is_usable():
            conn.close()


def read_once_more_if_lost(read: Callable[[], T]) -> T:
    """``read()``, run once more on a fresh connection if its connection was lost.

    For reads only (repeating a write could apply it twice).
    """
    try:
        return read()
    except (OperationalError, InterfaceError) as error:
        if not connection_lost(error):
            raise
        drop_broken_connections()
        return read()
