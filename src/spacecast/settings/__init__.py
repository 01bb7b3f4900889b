"""The run's settings: ``spacecast.toml``, the environment and the command-line flags."""
