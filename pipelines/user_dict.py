"""The analysts' dictionary (`--user-dict FILE` or PRESSFLOW_USER_DICT), checked once before a run.

Read lazily, a bad row would surface in the analyse step of every page and fail them all, one by
one; read up front, it is one error that names the file and the line, and no run starts."""
from __future__ import annotations

import os

from nlp.gazetteer import GazetteerError, load_gazetteer


class UserDictionaryError(ValueError):
    """The user dictionary cannot be read or has a bad row; the message names the file and line."""


def check_user_dictionary(path: str | None) -> str | None:
    """The dictionary a run will use (the argument, else PRESSFLOW_USER_DICT), loaded once to check it."""
    chosen = path or os.environ.get("PRESSFLOW_USER_DICT") or None
    if chosen is None:
        return None
    try:
        load_gazetteer(path)  # cached: the run's analysis reuses what is built here
    except GazetteerError as error:
        source = "" if path else " (PRESSFLOW_USER_DICT)"
        raise UserDictionaryError(f"user dictionary{source} {error}") from error
    return chosen
