"""The learner profile: what each person was shown, how deep they went, what clicked.

`profile` is pure (progress rows + graph -> map / view), `store` keeps the
rows in SQL (the App's database or the local SQLite profile), `render` prints
a person's map, `tailor` shortens later reviews for what someone already
understands. Importing this package imports nothing heavy.
"""
