"""What a build made, written out: chapters, transcripts, notes, the episode record, and the
show's folder (cover, feed, listening page) and its server."""
