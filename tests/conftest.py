"""Suite-wide guards: no connection may leave this machine (the product is offline by design)."""

from __future__ import annotations

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX paths
        return True
    if isinstance(address, tuple) and address:
        host = address[0]
        if host in ("localhost", "", None):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return False


def _guarded_connect(self: socket.socket, address: object) -> object:
    if not _is_local(address):
        raise AssertionError(f"test tried to reach the network: {address!r} (geoevents must work offline)")
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> object:
    if not _is_local(address):
        raise AssertionError(f"test tried to reach the network: {address!r} (geoevents must work offline)")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> object:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def gazetteer_path() -> object:
    """Return the real on-disk gazetteer index (built once into the user cache if missing)."""
    from geoevents.gazetteer import SQLiteGazetteer

    with SQLiteGazetteer.open() as gaz:
        return gaz.path


@pytest.fixture(scope="session")
def gazetteer(gazetteer_path: object) -> object:
    """One shared read-only gazetteer for the session."""
    from geoevents.gazetteer import SQLiteGazetteer

    gaz = SQLiteGazetteer.open(gazetteer_path, build=False)
    yield gaz
    gaz.close()


@pytest.fixture(scope="module")
def parser(gazetteer: object) -> object:
    """One geoparser on the real index (a test module may define its own ``parser`` instead)."""
    from geoevents.geoparse import Geoparser

    return Geoparser(gazetteer)  # type: ignore[arg-type]
