"""A pull request's review as GitHub shows it, built without I/O.

- `patches`: the diff rebuilt from the files endpoint's `patch` fields
- `incremental`: after a push, which lines are in scope
- `comments`: one finding as a review comment (body, marker, anchor)
- `markers`: the hidden marker on every comment, fingerprints, de-duplication
- `drafts`: findings split into inline, moved-to-body and already posted; the
  review to post and its 422 fallback
- `summary`: the review body
- `markdown`: untrusted text made safe to post

The GitHub App (`reviewbot.app`) and the Action (`reviewbot.action`) use
these; the values they take and return come from
`reviewbot.adapters.github.host`. Importing this package imports nothing.
"""
