"""Shipped methodology presets (JSON documents); see `opora.analytics.methodology`."""
