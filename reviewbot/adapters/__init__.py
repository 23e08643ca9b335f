"""The edges that talk to the outside world, one real implementation per interface.

- `github`: the GitHub REST API (the `Host` interface, its PyGithub
  implementation, installation tokens, rate limits)
- `openai_model`: the `ChatModel` interface (`reviewbot.llm.model`) over any
  OpenAI-compatible server
- `localgit`: a local repository's diff and files for `reviewbot check --git`

Nothing else in reviewbot imports `github` (PyGithub) or `openai`. The
webhook server, its store and its queue are edges too; they live in
`reviewbot.server`, `reviewbot.store` and `reviewbot.taskqueue`.
"""
