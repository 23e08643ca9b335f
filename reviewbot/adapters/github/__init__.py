"""The GitHub adapter: the few REST calls reviewbot makes, behind one narrow interface.

- `host`: the `Host` protocol and the plain values and errors that cross it
- `pygithub_host`: the real `Host` through PyGithub, for the App (`GitHubApp`,
  JWT and installation tokens) and for a fixed token (`GitHubToken`, the Action)
- `tokens`: installation tokens, cached and renewed before they expire
- `ratelimit`: pacing and waiting out GitHub's rate limits (pure rules)

The tests hold an in-memory `Host` (tests/fakegithub.py). Importing this
package imports nothing.
"""
