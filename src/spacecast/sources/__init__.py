"""Where stories come from: folders, RSS and Atom feeds, and web pages (the network)."""
