"""Bulk exports of every record, their round trip, and the DCAT catalog."""
