"""spacecast: the day's news as an offline, podcast-style audio briefing."""

__version__ = "0.1.0"
