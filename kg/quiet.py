"""Keep libraries' own logging and warnings off the user's terminal while a command runs.

rdflib, for one, logs a full traceback ("Failed to convert Literal lexical form to value") when it meets a literal
it cannot read. The sheet checks refuse such values, located, before any term is made of them; whatever a library
still says to a logger nobody configured, or as a Python warning, is not meant for the person at the terminal,
who gets the command's own located messages and its exit code instead.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator


@contextlib.contextmanager
def quiet_libraries() -> Iterator[None]:
    """Within the block, records that reach no configured handler are dropped (instead of going to standard error
    through logging's last-resort handler) and warnings are ignored; both are as they were afterwards.

    Loggers that their owner configured (uvicorn's, when serving) still write as before.
    """
    root = logging.getLogger()
    sink = logging.NullHandler()
    root.addHandler(sink)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        root.removeHandler(sink)
