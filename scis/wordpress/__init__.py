"""Bringing a WordPress portal's WXR export into SCIS."""
