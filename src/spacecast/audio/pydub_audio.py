"""pydub, imported once and pointed at the ffmpeg spacecast uses.

pydub looks for ``ffmpeg`` on PATH when imported and warns on stderr when there is none,
which is the normal case here (ffmpeg comes from imageio-ffmpeg). That warning would break
``-q``; spacecast never lets pydub call ffmpeg itself, but sets the converter anyway so any
pydub call that needs one finds the right binary.
"""

from __future__ import annotations

import contextlib
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)  # audioop, on Python 3.11 and 3.12
    from pydub import AudioSegment

from spacecast.audio.ffmpeg import ffmpeg_path
from spacecast.errors import EngineError

# A missing ffmpeg is reported by the step that needs it (and by `spacecast doctor`).
with contextlib.suppress(EngineError):
    AudioSegment.converter = ffmpeg_path()

__all__ = ["AudioSegment"]
