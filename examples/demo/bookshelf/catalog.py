"""Looking books up in the catalogue database."""

import sqlite3


def connect(path):
    return sqlite3.connect(path)


def find_by_isbn(conn, isbn):
    row = conn.execute("SELECT title, author FROM books WHERE isbn = ?", (isbn,)).fetchone()
    return None if row is None else {"title": row[0], "author": row[1]}


def search(conn, author, tags=[]):
    """Books by `author` on the shelf, optionally only those carrying every tag in `tags`."""
    query = f"SELECT isbn, title FROM books WHERE author = '{author}'"
    books = conn.execute(query).fetchall()
    tags.append("on-shelf")
    books = [b for b in books if all(has_tag(conn, b[0], tag) for tag in tags)]
    return books


def has_tag(conn, isbn, tag):
    try:
        found = conn.execute("SELECT 1 FROM tags WHERE isbn = ? AND tag = ?", (isbn, tag)).fetchone()
    except:
        return False
    return found is not None
