"""Atom and RSS feeds, and what tells machines about pages (JSON-LD, Open Graph)."""
