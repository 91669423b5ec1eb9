"""The OAI-PMH 2.0 request rules: which arguments each verb takes, how dates
and resumption tokens are read, and the protocol's error codes.
https://www.openarchives.org/OAI/openarchivesprotocol.html"""

import datetime as dt
from dataclasses import dataclass

from django.core import signing

from .repository import SET_PREFIXES

METADATA_PREFIX = "oai_dc"
TOKEN_SALT = "scis.oai.resumption"  # noqa: S105  (a signing namespace, not a secret)
TOKEN_HOURS = 24

# verb → (required arguments, optional arguments); a resumption token, where
# allowed, must come alone.
VERBS: dict[str, tuple[set[str], set[str]]] = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": (
        {"metadataPrefix"},
        {"from", "until", "set", "resumptionToken"},
    ),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}


class OAIError(Exception):
    """One of the protocol's error conditions, with a message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class ListRequest:
    """A ListIdentifiers/ListRecords request, or where its token resumes it."""

    verb: str
    set_spec: str = ""
    start: dt.datetime | None = None  # inclusive
    end: dt.datetime | None = None  # exclusive
    after: tuple[str, int] | None = None  # last datestamp (ISO) and page id sent
    cursor: int = 0


def read_arguments(params) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, or OAIError (badVerb / badArgument)."""
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        if len(verbs) > 1:
            raise OAIError("badVerb", "Give the verb argument once.")
        raise OAIError(
            "badVerb",
            "Give a verb: one of " + ", ".join(VERBS) + ".",
        )
    verb = verbs[0]
    required, optional = VERBS[verb]
    arguments: dict[str, str] = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if name not in required | optional:
            raise OAIError("badArgument", f"{verb} does not take “{name[:40]}”.")
        if len(values) != 1:
            raise OAIError("badArgument", f"Give “{name}” only once.")
        if "\x00" in values[0]:
            raise OAIError("badArgument", f"“{name}” contains a NUL character.")
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError(
                "badArgument",
                "A resumptionToken is the only argument besides the verb.",
            )
        return verb, arguments
    missing = sorted(required - set(arguments))
    if missing:
        raise OAIError("badArgument", f"{verb} needs: {', '.join(missing)}.")
    return verb, arguments


def check_prefix(arguments: dict[str, str]) -> None:
    prefix = arguments.get("metadataPrefix")
    if prefix is not None and prefix != METADATA_PREFIX:
        raise OAIError(
            "cannotDisseminateFormat",
            f"Only “{METADATA_PREFIX}” is offered (ListMetadataFormats lists it).",
        )


def _parse_date(name: str, value: str) -> tuple[dt.datetime, bool]:
    """The moment and whether it had day granularity."""
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC), True
        if len(value) == 20 and value.endswith("Z") and value[10] == "T":
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return moment.replace(tzinfo=dt.UTC), False
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        f"“{name}” must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not “{value[:40]}”.",
    )


def list_request(verb: str, arguments: dict[str, str]) -> ListRequest:
    """A fresh list request from its arguments (after read_arguments)."""
    request = ListRequest(verb)
    set_spec = arguments.get("set", "")
    if set_spec and set_spec.split(":", 1)[0] not in SET_PREFIXES:
        raise OAIError("badArgument", f"There is no set “{set_spec[:60]}” (ListSets).")
    request.set_spec = set_spec
    granularity = set()
    if "from" in arguments:
        request.start, day = _parse_date("from", arguments["from"])
        granularity.add(day)
    if "until" in arguments:
        until, day = _parse_date("until", arguments["until"])
        granularity.add(day)
        request.end = until + (dt.timedelta(days=1) if day else dt.timedelta(seconds=1))
    if len(granularity) > 1:
        raise OAIError(
            "badArgument", "“from” and “until” must have the same granularity."
        )
    if request.start and request.end and request.start >= request.end:
        raise OAIError("badArgument", "“from” is later than “until”.")
    return request


def issue_token(
    request: ListRequest, last_stamp: str, last_id: int, cursor: int
) -> str:
    return signing.dumps(
        {
            "v": request.verb,
            "s": request.set_spec,
            "f": request.start.isoformat() if request.start else None,
            "u": request.end.isoformat() if request.end else None,
            "a": [last_stamp, last_id],
            "c": cursor,
        },
        salt=TOKEN_SALT,
        compress=True,
    )


def resume(verb: str, token: str) -> ListRequest:
    """The list request a token continues, or badResumptionToken."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_HOURS * 3600)
    except signing.SignatureExpired:
        raise OAIError(
            "badResumptionToken",
            f"This resumptionToken is more than {TOKEN_HOURS} hours old: start the "
            "list again.",
        ) from None
    except signing.BadSignature:
        raise OAIError(
            "badResumptionToken",
            "This resumptionToken was not issued by this repository.",
        ) from None
    if data.get("v") != verb:
        raise OAIError("badResumptionToken", f"This token continues {data.get('v')}.")
    return ListRequest(
        verb,
        data["s"],
        dt.datetime.fromisoformat(data["f"]) if data["f"] else None,
        dt.datetime.fromisoformat(data["u"]) if data["u"] else None,
        (data["a"][0], int(data["a"][1])),
        int(data["c"]),
    )
