"""The GitHub App's features: which deliveries become jobs, and what a worker does with them.

Each feature module declares its own `ROUTES` and the server merges them
(`handlers`):

- `reviewing`: pull requests opened, reopened, ready for review or pushed to:
  `prepare` reads and reviews, `publish` posts, `run` records (the Action
  calls `prepare` and `publish` too)
- `commands`: `@<app-slug> review` and `@<app-slug> help` (the words are read
  by `command_text`)
- `threads`: a person's reply in a review thread, answered by `reviewbot.threads`
- `routes`, `handlers`: the route type and the merged routing table
- `deps`: what every job is handed (settings, hosts, history, learner, model, clock)
- `repoconfig`: the repository's settings, read from its default branch
- `learner`: the learner profile's part in a review (tailoring, recording)

The GitHub calls go through `reviewbot.adapters.github`; the review's
comments and body are built by the pure `reviewbot.pullrequest`. Importing
this package imports nothing.
"""
