"""Edges to the outside world that are not the LLM: the local git adapter."""
