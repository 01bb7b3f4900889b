"""Takes to an MP3: stingers, the mix, loudness and encoding (ffmpeg, pydub).

Works on audio only: it imports no text stage (``tests/test_architecture.py``).
"""
