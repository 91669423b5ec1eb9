"""Which network addresses the harvester may connect to (DESIGN.md §7:
nothing harvested is trusted).

A feed or page can point anywhere, including at the machine SCIS runs on,
the office network behind it, or a cloud metadata service. So every
connection is checked *after* DNS resolution, on the address actually
dialled (see `GuardedBackend`), and:

- public (globally routable) addresses are always allowed;
- loopback and private addresses (RFC 1918, 100.64/10 shared space, IPv6
  unique-local) only for a source explicitly marked `allow_private`;
- link-local (169.254/16 with the 169.254.169.254 metadata service,
  fe80::/10), unspecified, multicast, broadcast and reserved or
  documentation ranges are refused for everyone.

IPv4 addresses written inside IPv6 (IPv4-mapped ::ffff:a.b.c.d, and the
NAT64 prefix 64:ff9b::/96) are judged by the IPv4 address they carry.
"""

from __future__ import annotations

import enum
import ipaddress
import socket
import threading
import time
from collections.abc import Iterable

from httpcore import ConnectError, ConnectTimeout, NetworkStream, SyncBackend
from httpcore._backends.sync import SyncStream

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressKind(enum.Enum):
    PUBLIC = "a public address"
    LOOPBACK = "a loopback address"
    PRIVATE = "a private network address"
    LINK_LOCAL = "a link-local address (used by cloud metadata services)"
    UNSPECIFIED = "an unspecified address"
    MULTICAST = "a multicast or broadcast address"
    RESERVED = "a reserved address"


# Reachable only by sources marked allow_private (intranet publishers, tests).
PRIVATE_KINDS = frozenset({AddressKind.LOOPBACK, AddressKind.PRIVATE})

_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_BROADCAST = ipaddress.ip_address("255.255.255.255")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",  # carrier-grade NAT: not public, often an intranet
        "fc00::/7",  # unique-local
        "fec0::/10",  # deprecated site-local
    )
)


def parse_address(address: str | IPAddress) -> IPAddress:
    """The address as an `ipaddress` object, IPv4 unwrapped from IPv6 forms
    that carry one. Raises ValueError when `address` is not an IP address."""
    if isinstance(address, str):
        # An IPv6 zone ("fe80::1%eth0") does not change the address's kind.
        address = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def classify(address: str | IPAddress) -> AddressKind:
    """What kind of address this is (see the module docstring)."""
    ip = parse_address(address)
    # Order matters: Python's is_private also covers link-local, 0/8 and the
    # documentation ranges, which must stay refused for everyone.
    if ip.is_unspecified or ip in _THIS_NETWORK:
        return AddressKind.UNSPECIFIED
    if ip.is_link_local:
        return AddressKind.LINK_LOCAL
    if ip.is_multicast or ip == _BROADCAST:
        return AddressKind.MULTICAST
    if ip.is_loopback:
        return AddressKind.LOOPBACK
    if any(ip in net for net in _PRIVATE_NETWORKS if net.version == ip.version):
        return AddressKind.PRIVATE
    if ip.is_global and not ip.is_reserved:
        return AddressKind.PUBLIC
    return AddressKind.RESERVED


def refusal(address: str | IPAddress, allow_private: bool = False) -> str:
    """Why the harvester may not connect to `address` ("" when it may)."""
    kind = classify(address)
    if kind is AddressKind.PUBLIC or (allow_private and kind in PRIVATE_KINDS):
        return ""
    return kind.value


class AddressRefusedError(Exception):
    """Raised inside the network backend; `fetching` turns it into
    `AddressRefused` with the URL and advice."""

    def __init__(self, host: str, address: str, reason: str, allow_private: bool):
        self.host = host
        self.address = address
        self.reason = reason
        self.allow_private = allow_private
        super().__init__(f"{host} resolves to {address}, {reason}")


def resolve(host: str, port: int) -> list[tuple[int, str]]:
    """Every (family, address) `host` resolves to for a TCP connection."""
    try:
        ip = parse_address(host)
    except ValueError:
        pass
    else:
        family = socket.AF_INET if ip.version == 4 else socket.AF_INET6
        return [(family, host.strip("[]"))]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectError(f"{host} could not be resolved: {exc}") from exc
    seen: dict[str, int] = {}
    for family, _type, _proto, _name, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]), family)
    return [(family, address) for address, family in seen.items()]


def check_host(host: str, port: int, allow_private: bool) -> list[tuple[int, str]]:
    """Resolve `host` and return its addresses, or raise
    `AddressRefusedError` if *any* of them is refused: a name with one public
    and one private address must not be a way into the private network."""
    addresses = resolve(host, port)
    for _family, address in addresses:
        reason = refusal(address, allow_private)
        if reason:
            raise AddressRefusedError(host, address, reason, allow_private)
    return addresses


# The moment (time.monotonic()) the current thread's fetch must end; every
# socket read and write is cut short so it cannot outlive it (a server
# trickling bytes forever, headers included). Set by `fetching.Fetcher`.
deadline = threading.local()


def _remaining(timeout: float | None) -> float | None:
    ends = getattr(deadline, "at", None)
    if ends is None:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        return 0.000001  # let the socket call time out at once
    return left if timeout is None else min(timeout, left)


class DeadlineStream(NetworkStream):
    """A network stream whose reads and writes stop at the thread's deadline."""

    def __init__(self, stream: NetworkStream):
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return DeadlineStream(
            self.stream.start_tls(ssl_context, server_hostname, _remaining(timeout))
        )

    def get_extra_info(self, info: str):
        return self.stream.get_extra_info(info)


class GuardedBackend(SyncBackend):
    """httpcore's synchronous network backend, with the address guard at
    connect time: resolve once, check every address, then connect to a
    checked address (never a second lookup that DNS rebinding could turn
    into 127.0.0.1)."""

    def __init__(self, allow_private: bool = False):
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> NetworkStream:
        addresses = check_host(host, port, self.allow_private)
        timeout = _remaining(timeout)
        last_error: OSError | None = None
        for family, address in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                if local_address is not None:
                    sock.bind((local_address, 0))
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.connect((address, port))
            except TimeoutError as exc:
                sock.close()
                raise ConnectTimeout(f"{host} ({address}) did not answer") from exc
            except OSError as exc:
                sock.close()
                last_error = exc
                continue
            return DeadlineStream(SyncStream(sock))
        raise ConnectError(f"{host} refused the connection: {last_error}")
