"""The GitHub App: review pull requests where they are opened.

The modules here are the pure core of the App (building the diff from the
pull-request files endpoint, the review body, hidden markers, de-duplication,
incremental scope, the 422 fallback, comment commands) plus two edges: the
`Host` interface with its PyGithub implementation, and the job handlers a
worker runs. Importing this package imports nothing else.
"""
