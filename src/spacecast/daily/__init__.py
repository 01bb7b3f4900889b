"""``spacecast daily``: the story memory and the run (lock, gather, build, publish, prune)."""
