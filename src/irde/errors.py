"""One error format and one set of exit codes for every verb and for the loader.

Every user-facing failure ends in one line, `irde VERB: what: why`, and one of the exit codes below;
a traceback is shown only with `irde --debug VERB`. Stages raise `IrdeError` (or a subclass) for
failures they can name; `run_verb` turns those, and the operating system's errors (disk full,
read-only folder, permission denied, broken pipe), into that line. This is the foundation's only job
here: it imports nothing from the package, so every stage may use it.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Callable

EXIT_OK = 0
EXIT_PROBLEMS = 1  # the input has problems, each reported (records, tables, a release)
EXIT_USAGE = 2  # bad arguments, a missing or refused path, an unusable checkout
EXIT_SYSTEM = 3  # the system failed: disk full, read-only folder, permission denied, out of memory
EXIT_BUG = 4  # an error no check foresaw: a bug, please report it (SECURITY.md)
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_PIPE = 141  # the reader of the output went away (`irde check | head -1`), as for other Unix tools

EXIT_CODES = {
    EXIT_OK: "success",
    EXIT_PROBLEMS: "the input has problems; each is reported",
    EXIT_USAGE: "bad arguments, or a path that is missing, unreadable or refused",
    EXIT_SYSTEM: "the system failed (disk full, read-only folder, permission denied, out of memory)",
    EXIT_BUG: "an unforeseen error: a bug, please report it",
    EXIT_INTERRUPTED: "interrupted",
    EXIT_PIPE: "the output pipe was closed",
}


class IrdeError(Exception):
    """A failure the user can act on: `what` (a path, a table, an argument) and `why`."""

    exit_code = EXIT_USAGE

    def __init__(self, what: str, why: str | None = None, exit_code: int | None = None):
        super().__init__(what if why is None else f"{what}: {why}")
        if why is None:  # one message already of the form "what: why"
            what, _, why = str(what).partition(": ")
        self.what, self.why = str(what), why
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(IrdeError):
    """The input (a release, a folder of tables, a record) is corrupt or unsafe to read."""

    exit_code = EXIT_PROBLEMS


class TableError(InputError, ValueError):
    """A table cannot be read or decoded; `what` names the table (and column)."""


class MissingTableError(IrdeError, FileNotFoundError):
    """No such table, or no tables at all, where the loader looked."""

    def __init__(self, what: str, why: str):
        IrdeError.__init__(self, what, why)

    def __str__(self) -> str:
        return f"{self.what}: {self.why}"


_OS_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ELOOP: "too many levels of symbolic links",
    errno.ENAMETOOLONG: "file name too long",
    errno.EIO: "input/output error",
    errno.EEXIST: "already exists",
    errno.ENOTEMPTY: "folder not empty",
}
_SYSTEM_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}


def describe(exc: BaseException) -> tuple[str, int]:
    """The one-line `what: why` for an exception, and its exit code."""
    if isinstance(exc, IrdeError):
        return (f"{exc.what}: {exc.why}" if exc.why else exc.what), exc.exit_code
    if isinstance(exc, OSError):
        why = _OS_REASONS.get(exc.errno) or exc.strerror or str(exc) or type(exc).__name__
        what = exc.filename if exc.filename is not None else "file system"
        code = EXIT_SYSTEM if exc.errno in _SYSTEM_ERRNOS else EXIT_USAGE
        return f"{os.fsdecode(what) if isinstance(what, bytes) else what}: {why}", code
    if isinstance(exc, MemoryError):
        return "memory: out of memory", EXIT_SYSTEM
    if isinstance(exc, RecursionError):
        return "input: nested too deeply", EXIT_PROBLEMS
    name = type(exc).__name__
    text = " ".join(str(exc).split())[:300]
    return f"unexpected error: {name}: {text} (a bug: rerun with --debug and report it)", EXIT_BUG


def say(verb: str, line: str) -> None:
    """Print `irde VERB: line` on stderr, whatever the terminal's encoding."""
    prefix = f"irde {verb}" if verb else "irde"
    try:
        print(f"{prefix}: {line}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _tolerant_streams() -> None:
    # A terminal that cannot show a character (LANG=C, a Windows code page) gets an escape, not a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _silence_stdout() -> None:
    # Once the reader has gone, later writes (and the flush at exit) must not raise again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def run_verb(verb: str, action: Callable[[], int], debug: bool = False) -> int:
    """Run one verb; turn every failure into one line and an exit code (the traceback only with debug)."""
    _tolerant_streams()
    try:
        code = action()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt:
        say(verb, "interrupted")
        return EXIT_INTERRUPTED
    except SystemExit:
        raise
    except BaseException as exc:  # the one place where any error becomes a line, never a traceback
        if debug:
            import traceback

            traceback.print_exc()
        line, code = describe(exc)
        say(verb, line)
        return code


class reading:
    """`with reading(what):` turns the errors of a corrupt file (bad Parquet, JSON, zip, text) into
    one InputError naming `what`; the operating system's own errors (disk full, permission) pass."""

    def __init__(self, what: str):
        self.what = str(what)

    def __enter__(self) -> "reading":
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        if exc is None or isinstance(exc, IrdeError):
            return False
        corrupt = (ValueError, KeyError, TypeError, IndexError, EOFError, UnicodeError, AttributeError,
                   NotImplementedError)
        if isinstance(exc, corrupt) or (isinstance(exc, OSError) and exc.errno is None):
            text = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise InputError(self.what, f"cannot be read: {text}") from exc
        return False
