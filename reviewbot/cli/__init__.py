"""The `reviewbot` command line: argparse, lazy imports per subcommand."""
