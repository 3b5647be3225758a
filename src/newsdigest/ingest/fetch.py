"""Fetching one URL safely: http(s) only, public addresses only, bounded in time and size.

::

    from newsdigest.ingest.fetch import fetch_url
    page = fetch_url("https://example.org/rss.xml")   # raises FetchError (a NewsdigestError)
    page.data, page.content_type, page.url

Used by the readers for URL inputs and OPML lists, and meant for any host that
takes a URL from a user (a web form, feed polling). The rules:

- only ``http`` and ``https``; every redirect (at most :data:`MAX_REDIRECTS`)
  is checked again like the first URL;
- the host is resolved once and *every* address is checked: private,
  loopback, link-local, reserved, multicast, unspecified and other non-global
  addresses are refused unless ``allow_private=True``. The connection then goes
  to the checked address (the original name is kept in the ``Host`` header and
  for TLS, so certificates are still verified), so a DNS answer that changes
  between the check and the connection (DNS rebinding) cannot reach an address
  that was not checked. Proxy settings from the environment are ignored for
  the same reason;
- one deadline for the whole fetch (redirects included), also enforced while
  the body streams in, so a server that drips bytes cannot hold us;
- at most ``max_bytes`` of (decompressed) body, checked on the declared length
  and again while streaming.

Every failure is a :class:`FetchError` with a one-line message that does not
repeat the URL (the caller names it). ``httpx`` is imported on first use.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from typing import NamedTuple

from ..errors import NewsdigestError
from .decode import MAX_BYTES, megabytes

__all__ = [
    "FetchError",
    "Fetched",
    "fetch_url",
    "is_url",
    "check_address",
    "FETCH_TIMEOUT",
    "MAX_REDIRECTS",
    "ALLOW_PRIVATE_HINT",
]

FETCH_TIMEOUT = 10.0  # seconds for the whole fetch: connect, redirects, body
MAX_REDIRECTS = 5
ALLOWED_SCHEMES = ("http", "https")
ALLOW_PRIVATE_HINT = "allow with --allow-private-urls (allow_private_urls=True in the API)"
USER_AGENT = "newsdigest/0.1"
_REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class FetchError(NewsdigestError):
    """A URL that could not be fetched; the message is one line and does not repeat the URL."""


class Fetched(NamedTuple):
    """A fetched body; unpacks as ``data, content_type, url``."""

    data: bytes
    content_type: str  # the media type without parameters, lower case ("" when not sent)
    url: str  # after redirects


def is_url(text: str) -> bool:
    """True for anything with a scheme (``http://``, ``ftp://``, ``file://``...): it is fetched or refused, never a path."""
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme[:1].isalpha() and all(c.isalnum() or c in "+.-" for c in scheme)


def _address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``ip`` is not a public address, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (  # most specific first: 127.0.0.1 and 240.0.0.1 are "private" too
        ("is_unspecified", "an unspecified"),
        ("is_loopback", "a loopback"),
        ("is_link_local", "a link-local"),
        ("is_multicast", "a multicast"),
        ("is_reserved", "a reserved"),
        ("is_private", "a private"),
    )
    for attribute, kind in checks:
        if getattr(ip, attribute):
            return kind
    if not ip.is_global:  # e.g. 100.64.0.0/10 (carrier-grade NAT)
        return "a non-public"
    return None


def check_address(ip: str, *, host: str = "") -> None:
    """Raise :class:`FetchError` when ``ip`` is not a public address; ``host`` names it in the message."""
    kind = _address_kind(ipaddress.ip_address(ip))
    if kind:
        where = f"{host} resolves to {ip}, " if host and host != ip else f"{ip} is "
        raise FetchError(f"refused: {where}{kind} address; {ALLOW_PRIVATE_HINT}")


def _resolve(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Every address of ``host``, each checked; IP literals are not looked up."""
    try:
        return _checked([str(ipaddress.ip_address(host))], host, allow_private)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve host {host} ({error.strerror or error})") from None
    except UnicodeError:
        raise FetchError(f"invalid host name {host!r}") from None
    addresses = list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))
    if not addresses:
        raise FetchError(f"cannot resolve host {host} (no addresses)")
    return _checked(addresses, host, allow_private)


def _checked(addresses: list[str], host: str, allow_private: bool) -> list[str]:
    if not allow_private:
        for ip in addresses:
            check_address(ip, host=host)
    return addresses


def _checked_url(text: str):
    """``text`` as an ``httpx.URL`` with an allowed scheme and a host, else FetchError."""
    import httpx

    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, TypeError, ValueError) as error:
        raise FetchError(f"invalid URL ({error})") from None
    if url.scheme not in ALLOWED_SCHEMES:
        shown = url.scheme or "none"
        raise FetchError(f"unsupported URL scheme {shown!r} (only http and https are fetched)")
    if not url.host:
        raise FetchError("invalid URL (no host)")
    return url


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__


def _connect_failure(error: BaseException) -> str:
    text = _one_line(error)
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if "certificate" in lowered:
        return f"TLS certificate check failed ({text})"
    if "unreachable" in lowered:
        return "network unreachable"
    return f"connection failed ({text})"


def _media_type(header: str) -> str:
    return header.split(";", 1)[0].strip().lower()


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = FETCH_TIMEOUT,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET ``url`` under the rules above; raise :class:`FetchError` saying why it failed.

    ``timeout`` bounds the whole fetch in seconds; ``max_bytes`` the body.
    Any HTTP status other than 2xx (after redirects) is a failure.
    """
    import httpx

    deadline = time.monotonic() + timeout
    current = _checked_url(url)
    with httpx.Client(trust_env=False, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for hop in range(max_redirects + 1):
            try:
                location, data, content_type = _get_once(client, current, deadline, timeout, allow_private, max_bytes)
            except FetchError as error:
                if hop:
                    raise FetchError(f"{error} (after a redirect to {current})") from None
                raise
            if location is None:
                return Fetched(data, content_type, str(current))
            try:
                target = current.join(location)
            except (httpx.InvalidURL, ValueError) as error:
                raise FetchError(f"invalid redirect location ({error})") from None
            try:
                current = _checked_url(str(target))
            except FetchError as error:
                raise FetchError(f"redirect to {_one_line(location)} refused: {error}") from None
        raise FetchError(f"too many redirects (more than {max_redirects})")


def _reason(status: int) -> str:
    import httpx

    try:
        return httpx.codes(status).phrase
    except ValueError:
        return ""


def _get_once(
    client, url, deadline: float, timeout: float, allow_private: bool, max_bytes: int
) -> tuple[str | None, bytes, str]:
    """One request, to the checked address: ``(redirect location, b"", "")`` or ``(None, body, content type)``.

    Any other status than a redirect or 2xx raises :class:`FetchError`.
    """
    import httpx

    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = _resolve(host, port, allow_private=allow_private)
    host_header = host if url.port is None else f"{host}:{url.port}"
    last_error: BaseException | None = None
    for ip in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            with client.stream(
                "GET",
                url.copy_with(host=ip),
                headers={"Host": host_header, "Accept": "application/rss+xml, application/atom+xml, text/html, */*"},
                extensions={"sni_hostname": host},
                timeout=httpx.Timeout(remaining),
            ) as response:
                status = response.status_code
                if status in _REDIRECT_STATUSES and "location" in response.headers:
                    return response.headers["location"], b"", ""
                if not 200 <= status < 300:
                    raise FetchError(f"HTTP {status} {_reason(status)}".rstrip())
                content_type = _media_type(response.headers.get("content-type", ""))
                return None, _read_body(response, deadline, timeout, max_bytes), content_type
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {timeout:g} s") from None
        except httpx.ConnectError as error:
            last_error = error  # try the host's next address
        except httpx.HTTPError as error:
            raise FetchError(f"{type(error).__name__}: {_one_line(error)}") from None
    if last_error is None:
        raise FetchError(f"timed out after {timeout:g} s")
    raise FetchError(_connect_failure(last_error))


def _read_body(response, deadline: float, timeout: float, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"too large ({megabytes(int(declared))} declared, the limit is {megabytes(max_bytes)})")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # as they arrive, decompressed: a gzip bomb counts at full size
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"too large (more than the {megabytes(max_bytes)} limit)")
        if time.monotonic() > deadline:
            raise FetchError(f"timed out after {timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)
