r"""Opening input files with bounds: the one place that turns a path into bytes.

Every reader goes through here, so each rule holds for every format:

* only **regular files** are opened: a FIFO, socket or device is refused at once (opened
  non-blocking, checked with ``fstat``), never waited on;
* an ``OSError`` while reading (``EIO`` from a failing disk or ``/proc`` file, ``EACCES``) is an
  ``InputError`` naming the file, counted "unreadable" by the caller, never a crash;
* what is read is **bounded**: a document at most ``max_bytes`` (decompressed), a JSON Lines
  line at most ``max_bytes``; blank lines cost no Python work (a gzip of a gigabyte of
  newlines is scanned at C speed), and ``\\r``, ``\\n`` and ``\\r\\n`` all end a line.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import re
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from geoevents.errors import InputError

__all__ = [
    "READ_ERRORS",
    "corrupt",
    "is_regular",
    "iter_lines",
    "maybe_gunzip",
    "open_regular",
    "os_error",
    "read_error",
    "read_limited",
    "sniffable",
]

#: What reading a (possibly gzipped) stream may raise; callers turn each into a counted skip.
READ_ERRORS = (OSError, EOFError, zlib.error)
_BLOCK = 1 << 20
_NONBLANK = re.compile(rb"[^ \t\r\n\f\v]")
_EOL = re.compile(rb"\r\n?|\n")


def _what(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def open_regular(path: str | os.PathLike[str], shown: str | None = None) -> IO[bytes]:
    """Open ``path`` for binary reading if it is a regular file; refuse anything else at once.

    The file is opened with ``O_NONBLOCK`` so that a FIFO with no writer cannot hang the run,
    then checked with ``fstat`` and switched back to blocking reads.

    Raises
    ------
    InputError
        Not a regular file (FIFO, socket, device, folder).
    OSError
        The file cannot be opened (the caller maps it with :func:`os_error`).

    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(
                f"{shown or os.fspath(path)}: {_what(mode)}, not a regular file; "
                "give article files or folders"
            )
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def os_error(shown: object, err: OSError) -> InputError:
    """Return an ``InputError`` for an ``OSError`` met while opening or reading ``shown``."""
    if isinstance(err, PermissionError):
        return InputError(f"{shown}: permission denied; make it readable (chmod +r) or leave it out")
    if isinstance(err, IsADirectoryError):
        return InputError(f"{shown}: is a folder, expected a file")
    if err.errno == errno.EIO:
        return InputError(f"{shown}: input/output error while reading (failing disk or special file)")
    return InputError(f"{shown}: cannot read ({err.strerror or err})")


def corrupt(shown: object, err: BaseException) -> InputError:
    """Return an ``InputError`` for compressed data that cannot be decompressed."""
    return InputError(f"{shown}: corrupt or truncated compressed data ({err}); re-export or re-download it")


def read_error(shown: object, err: BaseException) -> tuple[InputError, str]:
    """Return the error and skip reason for what a read raised: an OS error (EIO...) or bad compression."""
    if isinstance(err, OSError) and err.errno is not None:
        return os_error(shown, err), "unreadable file"
    return corrupt(shown, err), "corrupt file"


def read_limited(stream: IO[bytes], max_bytes: int) -> tuple[bytes, bool]:
    """Read at most ``max_bytes``; say whether there was more (the caller notes the truncation)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return data[:max_bytes], True
    return data, False


def _eols(buf: bytes, start: int, end: int) -> int:
    r"""Line endings in ``buf[start:end]`` (``\\r\\n`` counts once)."""
    return buf.count(b"\n", start, end) + buf.count(b"\r", start, end) - buf.count(b"\r\n", start, end)


def iter_lines(stream: IO[bytes] | Any, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    r"""Yield ``(line number, bytes)`` for each non-blank line; ``bytes`` is None for a too-long line.

    Blank lines are skipped inside the buffer by a regular expression, so runs of them cost
    no Python loop; ``\\n``, ``\\r\\n`` and a lone ``\\r`` (old Mac exports) end a line. At most
    ``max_bytes`` plus one block is held in memory; the rest of a too-long line is discarded.
    """
    buf = b""
    pos = 0
    line = 1
    eof = False
    failed: BaseException | None = None  # raised once the lines read before it are yielded
    # read1: one underlying read per call, so data decompressed before a damaged spot is kept
    read = getattr(stream, "read1", stream.read)

    def more() -> bool:
        nonlocal buf, pos, eof, failed
        if eof:
            return False
        try:
            chunk = read(_BLOCK)
        except READ_ERRORS as err:
            failed, chunk = err, b""
        if not chunk:
            eof = True
            return False
        buf = buf[pos:] + chunk
        pos = 0
        return True

    while True:
        found = _NONBLANK.search(buf, pos)
        if found is None:
            keep = 1 if buf.endswith(b"\r") and not eof else 0  # maybe half of a \r\n
            line += _eols(buf, pos, len(buf) - keep)
            pos = len(buf) - keep
            if not more():
                if failed is not None:
                    raise failed
                return
            continue
        line += _eols(buf, pos, found.start())
        pos = found.start()
        while True:  # find the end of this line, reading on as needed
            end = _EOL.search(buf, pos)
            if end is not None and (end.end() < len(buf) or end.group() != b"\r" or eof):
                break
            if end is None and len(buf) - pos > max_bytes:
                break
            if not more():
                end = _EOL.search(buf, pos)
                break
        if end is None and len(buf) - pos > max_bytes:  # too long: skip to the next line end
            yield line, None
            while True:
                buf, pos = b"", 0
                if not more():
                    if failed is not None:
                        raise failed
                    return
                tail = _EOL.search(buf)
                if tail is not None:
                    pos = tail.end()
                    line += 1
                    break
            continue
        if end is None and failed is not None:  # a line cut by the damage is not a line
            raise failed
        raw = buf[pos : end.start() if end is not None else len(buf)]
        yield line, (raw if len(raw) <= max_bytes else None)
        if end is None:
            return
        pos = end.end()
        line += 1


class _Prefixed(io.RawIOBase):
    """A raw stream that replays ``head`` and then reads on from ``rest``."""

    def __init__(self, head: bytes, rest: IO[bytes] | io.BufferedIOBase) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def sniffable(stream: IO[bytes] | io.BufferedIOBase, n: int = 8192) -> tuple[IO[bytes], bytes]:
    """Read up to ``n`` bytes of ``stream`` to look at, and return a stream that still starts there."""
    head = stream.read(n)
    return io.BufferedReader(_Prefixed(head, stream)), head


def maybe_gunzip(stream: IO[bytes], gz: bool) -> tuple[IO[bytes], bool]:
    """Wrap ``stream`` in gzip when the name or the first bytes say so; return it and whether it is."""
    if not gz:
        stream, head = sniffable(stream, 2)
        gz = head[:2] == b"\x1f\x8b"
    if gz:
        return gzip.GzipFile(fileobj=stream, mode="rb"), True  # type: ignore[return-value]
    return stream, False


def is_regular(path: Path) -> bool:
    """Tell whether ``path`` is a regular file (following links): not a FIFO, device or folder."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False
