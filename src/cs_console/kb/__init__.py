"""The knowledge base: load and validate kb_data/, the search index and the query engine.

Importing this package is cheap; pypinyin, OpenCC and rapidfuzz load on first use.
"""
