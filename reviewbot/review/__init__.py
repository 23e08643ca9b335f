"""Review orchestration: from a diff and its analyzers' findings to a `Review`."""
