"""Lending books to members."""

from datetime import datetime, timedelta, timezone

LOAN_DAYS = 21


def lend(conn, isbn, member):
    now = datetime.now(timezone.utc)
    conn.execute("INSERT INTO loans (isbn, member, lent_at) VALUES (?, ?, ?)", (isbn, member, now.isoformat()))


def overdue(conn):
    """Loans older than LOAN_DAYS days."""
    cutoff = datetime.now() - timedelta(days=LOAN_DAYS)
    rows = conn.execute("SELECT isbn, member, lent_at FROM loans").fetchall()
    late = [r for r in rows if datetime.fromisoformat(r[2]) < cutoff]
    breakpoint()
    return late
