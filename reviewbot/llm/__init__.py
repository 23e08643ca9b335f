"""The LLM reviewer: prompts, chunking, validation and one OpenAI-compatible adapter.

`openai_model` is the only module that imports `openai` or touches the
network; `tokens` only reads tiktoken's local cache. Everything else is pure:
it is handed a `ChatModel` (see `model.py`) and data. Importing this package
imports nothing.

Entry point: `reviewbot.llm.reviewer.review_llm`.
"""
