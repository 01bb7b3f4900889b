"""``python -m spacecast``: the ``spacecast`` command, for when the script is not on PATH."""

from spacecast.cli import main

if __name__ == "__main__":
    main()
