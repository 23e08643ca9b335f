"""`reviewbot action`: the GitHub Action's entry point, a thin edge around the App's own flow.

It reads the standard Actions environment (GITHUB_EVENT_NAME,
GITHUB_EVENT_PATH, GITHUB_TOKEN, GITHUB_API_URL, GITHUB_STEP_SUMMARY, ...),
builds the App's `Deps` from it (a token-authenticated PyGithub host, the
last reviewed head taken from the bot's own reviews instead of a database)
and runs the same review (`reviewbot.app.reviewing.prepare` and `publish`)
and why-thread code (`reviewbot.app.threads.answer`) the App runs. What it found is
also reported through workflow annotations, the job summary and an optional
SARIF file, which is all it can do when the token may not write (pull
requests from forks).

- `environment`: the Actions environment, read once into a frozen value
- `events`: which task an event is (pure)
- `history`: the review history and learner profile of a run without a database
- `context`: what every task shares (host, settings, model) and the report
- `review`, `thread`: the two tasks, each calling the App's own code
- `report`: annotations, job summary, SARIF, step outputs
- `run`: `run_action(args, env)`, the subcommand
"""
