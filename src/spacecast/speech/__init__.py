"""A script spoken: voice profiles, engines, the take cache and the speech workers."""
