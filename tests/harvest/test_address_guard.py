"""Which addresses the harvester may connect to: a feed must not be a way
into the machine SCIS runs on, the office network or a cloud metadata
service (DESIGN.md §7)."""

import socket

import pytest

from scis.harvest.addresses import (
    AddressKind,
    AddressRefusedError,
    check_host,
    classify,
    refusal,
)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        # IPv4
        ("203.0.113.9", AddressKind.RESERVED),  # documentation range
        ("210.90.87.10", AddressKind.PUBLIC),
        ("8.8.8.8", AddressKind.PUBLIC),
        ("127.0.0.1", AddressKind.LOOPBACK),
        ("127.8.9.10", AddressKind.LOOPBACK),
        ("10.0.0.1", AddressKind.PRIVATE),
        ("172.16.5.4", AddressKind.PRIVATE),
        ("172.31.255.255", AddressKind.PRIVATE),
        ("172.32.0.1", AddressKind.PUBLIC),
        ("192.168.0.10", AddressKind.PRIVATE),
        ("100.64.0.1", AddressKind.PRIVATE),
        ("169.254.169.254", AddressKind.LINK_LOCAL),
        ("0.0.0.0", AddressKind.UNSPECIFIED),  # noqa: S104
        ("0.1.2.3", AddressKind.UNSPECIFIED),
        ("224.0.0.1", AddressKind.MULTICAST),
        ("255.255.255.255", AddressKind.MULTICAST),
        ("240.0.0.1", AddressKind.RESERVED),
        # IPv6
        ("2001:4860:4860::8888", AddressKind.PUBLIC),
        ("::1", AddressKind.LOOPBACK),
        ("[::1]", AddressKind.LOOPBACK),
        ("fd12:3456::1", AddressKind.PRIVATE),
        ("fe80::1", AddressKind.LINK_LOCAL),
        ("fe80::1%eth0", AddressKind.LINK_LOCAL),
        ("::", AddressKind.UNSPECIFIED),
        ("ff02::1", AddressKind.MULTICAST),
        ("2001:db8::1", AddressKind.RESERVED),
        # IPv4 inside IPv6: judged by the IPv4 address they carry
        ("::ffff:127.0.0.1", AddressKind.LOOPBACK),
        ("::ffff:10.1.2.3", AddressKind.PRIVATE),
        ("::ffff:169.254.169.254", AddressKind.LINK_LOCAL),
        ("::ffff:8.8.8.8", AddressKind.PUBLIC),
        ("64:ff9b::a9fe:a9fe", AddressKind.LINK_LOCAL),  # NAT64 of 169.254.169.254
    ],
)
def test_addresses_are_classified(address, kind):
    assert classify(address) is kind


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "::1", "10.0.0.1", "192.168.1.1", "fd00::5", "::ffff:192.168.1.1"],
)
def test_loopback_and_private_only_for_sources_that_allow_them(address):
    assert refusal(address, allow_private=False)
    assert refusal(address, allow_private=True) == ""


@pytest.mark.parametrize(
    "address",
    [
        "169.254.169.254",
        "fe80::1",
        "::ffff:169.254.169.254",
        "0.0.0.0",  # noqa: S104
        "::",
        "239.1.2.3",
        "ff05::2",
        "240.1.2.3",
    ],
)
def test_metadata_unspecified_multicast_and_reserved_refused_for_everyone(address):
    assert refusal(address, allow_private=True)
    assert refusal(address, allow_private=False)


def test_public_addresses_are_allowed():
    assert refusal("210.90.87.10") == ""
    assert refusal("2001:4860:4860::8888") == ""


def test_refusal_says_what_kind_of_address_it_is():
    assert "metadata" in refusal("169.254.169.254", allow_private=True)
    assert refusal("10.0.0.1") == "a private network address"


def test_a_name_is_judged_by_what_it_resolves_to():
    with pytest.raises(AddressRefusedError) as refused:
        check_host("localhost", 80, allow_private=False)
    assert refused.value.host == "localhost"
    assert classify(refused.value.address) is AddressKind.LOOPBACK

    addresses = check_host("localhost", 80, allow_private=True)
    assert addresses
    assert all(classify(a) is AddressKind.LOOPBACK for _family, a in addresses)


def test_an_address_literal_is_checked_without_a_lookup():
    with pytest.raises(AddressRefusedError):
        check_host("169.254.169.254", 80, allow_private=True)
    assert check_host("127.0.0.1", 80, allow_private=True) == [
        (socket.AF_INET, "127.0.0.1")
    ]
