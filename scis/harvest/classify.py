"""Suggest where an item belongs: the source's defaults, its rules, and
taxonomy names found in the text.

CONTRACT: `suggest(source, title: str, text: str) -> dict` with keys
"section" (str), "organisations", "regions", "programmes", "topics" (lists
of primary keys) and "reasons" (list of short strings an editor reads,
e.g. "region 세종: named in the title").
"""
