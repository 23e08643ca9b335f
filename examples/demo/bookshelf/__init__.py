"""bookshelf: a tiny library catalogue."""
