"""The shape of a workflow: jobs, steps and write scopes by line, from hostile text without running any of it."""

from __future__ import annotations

from reviewbot.analyzers.workflowshape import Workflow, shape_of

WORKFLOW = """on: push
permissions:
  contents: read
  id-token: write
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0
      - run: |
          make
          make test
  release:
    permissions: write-all
    runs-on: ubuntu-latest
    steps:
      - uses: Actions/Setup-Node@v6
"""


def test_jobs_and_steps_span_their_own_lines() -> None:
    shape = shape_of(WORKFLOW)
    assert [(job.first, job.last) for job in shape.jobs] == [(6, 14), (15, 19)]
    assert [(s.first, s.last, s.uses) for s in shape.jobs[0].steps] == [(9, 11, "actions/checkout@v5"), (12, 14, "")]
    assert shape.step_at(10) == shape.jobs[0].steps[0]
    assert shape.jobs[0].steps[0].inputs == {"fetch-depth": "0"}
    assert shape.step_at(7) is None and shape.job_at(3) is None


def test_a_job_inherits_the_workflows_write_scopes_unless_it_sets_its_own() -> None:
    shape = shape_of(WORKFLOW)
    assert shape.jobs[0].writes == ()  # id-token: write asks for an OIDC token; the token itself reads
    assert shape.jobs[1].writes == ("write-all",)
    assert shape.jobs[1].steps[0].action == "actions/setup-node"
    assert shape_of(WORKFLOW.replace("  contents: read", "  contents: write")).jobs[0].writes == ("contents: write",)


def test_text_that_is_not_a_workflow_has_no_shape_and_nothing_in_it_runs() -> None:
    hostile = "jobs:\n  x: !!python/object/apply:os.system ['touch /tmp/owned']\n"
    assert shape_of(hostile) == Workflow()  # composed, never constructed: the tag is only a tag
    assert shape_of("jobs: [unclosed\n") == Workflow()
    assert shape_of("[" * 20000 + "]" * 20000) == Workflow()
    assert shape_of("- a\n- b\n") == Workflow()
