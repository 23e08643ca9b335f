"""`python -m reviewbot` runs the command line."""

from reviewbot.cli.main import main

raise SystemExit(main())
