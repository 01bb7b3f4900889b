"""Plain eSpeak NG, as its command line speaks: the reference voice for intelligibility.

    python bench/plain_espeak.py VOICE RATE TEXT_FILE OUT.wav [PITCH]

does what ``espeak-ng -v VOICE -s RATE [-p PITCH] -f TEXT_FILE -w OUT.wav`` does, with the eSpeak NG
library and data of the ``espeakng-loader`` wheel that spacecast itself uses (so no system
install is needed, and the version is spacecast's): start the library in synchronous mode,
choose the voice by name, set the rate, and speak the whole text in one call with the
command line's flags (``espeakCHARS_AUTO | espeakPHONEMES | espeakENDPAUSE``). Nothing else
is set: volume, word gap and the rest (and the pitch, unless given) stay at eSpeak NG's
defaults. The tests use it with a pitch, to check that a voice profile's rate and pitch
reach eSpeak NG as the command line's ``-s`` and ``-p`` do.

Checked against the real command line: Debian's ``espeak-ng`` program run on the wheel's
library (``LD_LIBRARY_PATH=<wheel> espeak-ng --path=<wheel> -v en-us -s 165 -w ...``) wrote a
byte-identical WAV file. Run it in its own process: eSpeak NG has one global state, and
spacecast's own engine must not share it.
"""

from __future__ import annotations

import ctypes
import os
import sys
import wave
from pathlib import Path

# From speak_lib.h.
AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000
RATE = 1
PITCH = 3
POS_CHARACTER = 1
CHARS_AUTO = 0
PHONEMES = 0x100
ENDPAUSE = 0x1000

_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


def speak(text: str, voice: str, rate: int, out: Path, pitch: int | None = None) -> None:
    """Write ``text`` spoken by eSpeak NG's ``voice`` at ``rate`` words a minute (and
    ``pitch``, 0..99, when given) to ``out``."""
    import espeakng_loader

    data = espeakng_loader.get_data_path()
    os.environ["ESPEAK_DATA_PATH"] = data
    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    sample_rate = lib.espeak_Initialize(
        AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), INITIALIZE_DONT_EXIT
    )
    if sample_rate <= 0:
        raise SystemExit(f"plain_espeak: cannot start eSpeak NG (data {data})")
    chunks: list[bytes] = []

    def collect(wav, count, events):  # type: ignore[no-untyped-def]
        if count > 0:
            chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    callback = _CALLBACK(collect)  # kept referenced while eSpeak may call it
    lib.espeak_SetSynthCallback(callback)
    if lib.espeak_SetVoiceByName(voice.encode()) != 0:
        raise SystemExit(f"plain_espeak: eSpeak NG has no voice {voice!r}")
    lib.espeak_SetParameter(RATE, rate, 0)
    if pitch is not None:
        lib.espeak_SetParameter(PITCH, pitch, 0)
    encoded = text.encode()
    flags = CHARS_AUTO | PHONEMES | ENDPAUSE
    lib.espeak_Synth(encoded, len(encoded) + 1, 0, POS_CHARACTER, 0, flags, None, None)
    lib.espeak_Synchronize()
    with wave.open(str(out), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(sample_rate)
        clip.writeframes(b"".join(chunks))


if __name__ == "__main__":
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__.split("\n\n")[1])
    voice, rate, text_file, out = sys.argv[1:5]
    pitch = int(sys.argv[5]) if len(sys.argv) == 6 else None
    speak(Path(text_file).read_text(encoding="utf-8"), voice, int(rate), Path(out), pitch)
