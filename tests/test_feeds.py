"""Feeds, OPML lists and URLs: fixture files, and the same files served by a local HTTP server."""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdigest.apps.cli import app
from newsdigest.errors import NewsdigestError
from newsdigest.ingest import load_documents
from newsdigest.ingest.decode import MAX_BYTES, megabytes
from newsdigest.ingest.detect import detect_format
from newsdigest.ingest.feeds import parse_feed
from newsdigest.ingest.fetch import FetchError, check_address, fetch_url, is_url
from newsdigest.ingest.opml import parse_opml
from newsdigest.ingest.urls import read_feed, read_url

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RSS = FIXTURES / "feed_rss.xml"
ATOM = FIXTURES / "feed_atom.xml"
OPML = FIXTURES / "feeds.opml"
PAGE = FIXTURES / "news_page.html"

HOSTILE = ("INJECTED", "alert", "evil.example", "document.cookie", "display: none", "<script", "<p")


# --- The local server -----------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    port = 0
    seen_hosts: list[str] = []

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, body: bytes, content_type: str, status: int = 200, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).seen_hosts.append(self.headers.get("Host", ""))
        path = self.path
        files = {
            "/feed_rss.xml": (RSS, "application/rss+xml; charset=utf-8"),
            "/feed_atom.xml": (ATOM, "application/atom+xml"),
            "/news_page.html": (PAGE, "text/html; charset=utf-8"),
        }
        try:
            if path in files:
                file, content_type = files[path]
                self._send(file.read_bytes(), content_type)
            elif path == "/feeds.opml":
                self._send(OPML.read_text().replace("PORT", str(self.port)).encode(), "text/x-opml")
            elif path == "/notes.txt":
                self._send(b"Just some notes, not a feed.\nSecond line.\n", "text/plain")
            elif path == "/empty":
                self._send(b"", "application/rss+xml")
            elif path == "/redirect":
                self._redirect("/feed_rss.xml")
            elif path == "/redirect-loop":
                self._redirect("/redirect-loop")
            elif path == "/redirect-ftp":
                self._redirect("ftp://example.org/feed.xml")
            elif path == "/redirect-file":
                self._redirect("file:///etc/passwd")
            elif path == "/declared-huge":
                self._send(b"", "application/rss+xml", length=10**9)
            elif path == "/huge":  # no Content-Length: only the streamed size can stop it
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                chunk = b"<!-- padding -->" * 4096
                for _ in range(64):  # 4 MB at most
                    self.wfile.write(chunk)
            elif path == "/slow":  # headers, then nothing for 3 s
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(RSS.stat().st_size))
                self.end_headers()
                self.wfile.flush()
                time.sleep(3)
                self.wfile.write(RSS.read_bytes())
            elif path == "/drip":  # a byte every 0.2 s: no single read times out
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                for byte in RSS.read_bytes()[:30]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
            else:
                self._send(b"<html><body><h1>Not found</h1></body></html>", "text/html", status=404)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should


@pytest.fixture(scope="module")
def server():
    """Base URL of a server on 127.0.0.1 (ephemeral port) serving the fixtures."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    _Handler.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{_Handler.port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _fatal(problems):
    return [p for p in problems if p.fatal]


def _warnings(problems):
    return [p for p in problems if not p.fatal]


# --- Detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "file, expected", [(RSS, "feed"), (ATOM, "feed"), (OPML, "opml"), (PAGE, "html")]
)
def test_feeds_and_opml_detected_by_content(file, expected, tmp_path):
    copy = tmp_path / "input.txt"  # a misleading extension: content decides
    copy.write_text(file.read_text())
    assert detect_format(copy.read_text(), copy.name) == expected


def test_rss_1_and_prolog_variants_detected():
    rdf = '<?xml version="1.0"?>\n<!-- generated -->\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    assert detect_format(rdf) == "feed"
    styled = '<?xml version="1.0"?><?xml-stylesheet href="feed.xsl" type="text/xsl"?><rss version="2.0"><channel>'
    assert detect_format(styled) == "feed"
    # An HTML page that merely mentions RSS stays HTML.
    assert detect_format("<html><body><p>Subscribe to our <rss> feed</p></body></html>") == "html"


# --- RSS and Atom files --------------------------------------------------------------------


def test_rss_file_entries_become_documents():
    docs, problems = load_documents([RSS])
    assert _fatal(problems) == []
    assert [d.title for d in docs] == [
        "Ferry crews end strike after pay deal",
        "Council approves harbour wall repairs",
        "Lifeboat volunteers honoured",
    ]
    ferry = docs[0]
    assert ferry.source == "Harbour Gazette"
    assert ferry.url == "https://gazette.example.com/2024/03/11/ferry-strike-ends"
    assert ferry.date == dt.date(2024, 3, 11)
    assert ferry.path == str(RSS)
    # Full content (content:encoded), not the one-line description; subheadings kept.
    assert ferry.text.startswith("Ferry crews on the island routes will return to work on Tuesday")
    assert "What the deal says" in ferry.text
    assert "two million pounds in lost trade" in ferry.text
    assert "Crews on the island ferries return to work" not in ferry.text


def test_feed_ids_are_stable_and_distinct():
    first, _ = load_documents([RSS, ATOM])
    second, _ = parse_feed(RSS.read_text(), path="elsewhere.xml")
    assert len({d.id for d in first}) == 5
    assert [d.id for d in first[:3]] == [d.id for d in second]  # from the entry, not the file
    assert first[0].id.startswith("gazette.example.com-")


def test_hostile_markup_in_feed_is_dropped():
    docs, _ = load_documents([RSS])
    lifeboat = docs[2]
    assert lifeboat.title == "Lifeboat volunteers honoured"
    assert "first gallantry medal since 1987" in lifeboat.text
    for needle in HOSTILE:
        assert needle not in lifeboat.text
        assert needle not in lifeboat.title


def test_teasers_kept_and_reported():
    docs, problems = load_documents([RSS, ATOM])
    by_title = {d.title: d for d in docs}
    wall = by_title["Council approves harbour wall repairs"]
    assert wall.text == "Councillors voted to spend £3.2m on the storm-damaged sea wall…"
    quota = by_title["Fishing quota talks resume in Brussels"]
    assert quota.text == "Negotiators return to the table on Monday as skippers warn of another lean season."
    teasers = [p for p in _warnings(problems) if "teaser" in p.message]
    assert {(p.path, p.message.split(" is only")[0]) for p in teasers} == {
        (str(RSS), "entry 'Council approves harbour wall repairs'"),
        (str(ATOM), "entry 'Fishing quota talks resume in Brussels'"),
    }
    # Full-content entries are not called teasers, however short their description.
    assert not any("Ferry" in p.message for p in teasers)


def test_atom_file_fields():
    docs, problems = load_documents([ATOM])
    assert _fatal(problems) == []
    strike = docs[0]
    assert strike.title == "Ferry strike over as crews accept offer"  # type="html" title, as text
    assert strike.source == "Coastal Times"
    assert strike.date == dt.date(2024, 3, 11)  # published, not updated
    assert strike.url == "https://coastal.example.org/news/ferry-strike-over"
    assert "Hauliers said the backlog of lorries" in strike.text
    assert docs[1].date == dt.date(2024, 3, 8)  # no published: updated


def test_broken_and_empty_feeds(tmp_path):
    empty = tmp_path / "empty.rss"
    empty.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    docs, problems = load_documents([empty])
    assert docs == []
    assert [str(p) for p in problems] == [f"error: {empty}: feed has no entries"]
    _, problems = parse_feed("<html><body><p>Hello</p></body></html>", path="page.rss")
    assert problems[0].fatal and problems[0].message.startswith("not a feed")


def test_truncated_feed_keeps_its_complete_entries():
    text = RSS.read_text()
    cut = text[: text.index("</item>") + len("</item>")] + "\n<item><title>Half"  # the download stopped here
    docs, problems = parse_feed(cut, path="cut.xml")
    assert [d.title for d in docs] == ["Ferry crews end strike after pay deal"]
    assert problems[0].message.startswith("malformed feed (") and not problems[0].fatal
    assert problems[0].message.endswith("; 2 entries read anyway")
    assert problems[1].message == "entry 2 has no text, skipped"  # its title never closed


# --- OPML -------------------------------------------------------------------------------------


def test_opml_lists_feeds_at_any_depth():
    links, problems = parse_opml(OPML.read_text(), path="feeds.opml")
    assert problems == []
    assert [link.title for link in links] == ["Harbour Gazette", "Coastal Times", "Gone away", "Not a feed"]
    assert links[0].url == "http://127.0.0.1:PORT/feed_rss.xml"


def test_opml_with_entities_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<opml version="2.0"><body><outline text="&b;" xmlUrl="http://example.org/&b;"/></body></opml>'
    )
    links, problems = parse_opml(bomb, path="bomb.opml")
    assert links == []
    assert problems[0].message.startswith("OPML refused: EntitiesForbidden")


def test_opml_without_feeds_or_not_opml():
    _, problems = parse_opml('<opml version="2.0"><body><outline text="Folder"/></body></opml>', path="a.opml")
    assert problems[0].message == "OPML lists no feeds (no <outline xmlUrl=...>)"
    _, problems = parse_opml("<opml><body>", path="b.opml")
    assert problems[0].message.startswith("not valid OPML (XML error:")


def test_opml_file_fetches_each_feed_and_reports_the_failures(server, tmp_path):
    port = server.rsplit(":", 1)[1]
    opml = tmp_path / "desk.opml"
    opml.write_text(OPML.read_text().replace("PORT", port))
    docs, problems = load_documents([opml], allow_private_urls=True)
    assert len(docs) == 5  # 3 RSS + 2 Atom entries
    assert {d.source for d in docs} == {"Harbour Gazette", "Coastal Times"}
    assert docs[0].path == f"{server}/feed_rss.xml"
    fatal = {p.path: p.message for p in _fatal(problems)}
    assert fatal == {
        f"{server}/missing.xml": f"HTTP 404 Not Found (feed 'Gone away' listed in {opml})",
        f"{server}/news_page.html": (
            f"not an RSS or Atom feed: got html (content type text/html) (feed 'Not a feed' listed in {opml})"
        ),
    }


def test_opml_by_url(server):
    docs, problems = load_documents([f"{server}/feeds.opml"], allow_private_urls=True)
    assert len(docs) == 5
    assert len(_fatal(problems)) == 2


def test_opml_feeds_are_refused_on_loopback_without_the_flag(tmp_path, server):
    opml = tmp_path / "desk.opml"
    opml.write_text(OPML.read_text().replace("PORT", server.rsplit(":", 1)[1]))
    docs, problems = load_documents([opml])
    assert docs == []
    assert len(problems) == 4 and all("loopback" in p.message for p in problems)


# --- URLs ---------------------------------------------------------------------------------------


def test_feed_by_url_matches_the_file(server):
    url = f"{server}/feed_rss.xml"
    docs, problems = load_documents([url], allow_private_urls=True)
    from_file, _ = load_documents([RSS])
    assert [(d.id, d.title, d.text, d.date) for d in docs] == [(d.id, d.title, d.text, d.date) for d in from_file]
    assert {d.path for d in docs} == {url}
    assert [p.path for p in problems] == [url]  # the teaser warning, naming the URL
    assert not problems[0].fatal


def test_html_page_by_url(server):
    url = f"{server}/news_page.html"
    docs, problems = read_url(url, allow_private=True)
    assert _fatal(problems) == []
    (page,) = docs
    assert page.id == "news_page"
    assert page.path == url
    assert page.text.strip()
    from_file, _ = load_documents([PAGE])
    assert page.text == from_file[0].text


def test_read_feed_refuses_what_is_not_a_feed(server):
    docs, problems = read_feed(f"{server}/news_page.html", allow_private=True)
    assert docs == []
    assert problems[0].message == "not an RSS or Atom feed: got html (content type text/html)"
    docs, problems = read_feed(f"{server}/feed_atom.xml", allow_private=True)
    assert len(docs) == 2


@pytest.mark.parametrize(
    "path, message",
    [
        ("/missing.xml", "HTTP 404 Not Found"),
        ("/notes.txt", "not a feed, OPML list or HTML page: got text (content type text/plain)"),
        ("/empty", "empty response"),
        ("/redirect-loop", "too many redirects (more than 5)"),
        (
            "/redirect-ftp",
            "redirect to ftp://example.org/feed.xml refused: unsupported URL scheme 'ftp' (only http and https are fetched)",
        ),
        (
            "/redirect-file",
            "redirect to file:///etc/passwd refused: unsupported URL scheme 'file' (only http and https are fetched)",
        ),
        ("/declared-huge", f"too large (1000 MB declared, the limit is {megabytes(MAX_BYTES)})"),
    ],
)
def test_bad_urls_give_one_line_problems(server, path, message):
    url = server + path
    docs, problems = load_documents([url, RSS], allow_private_urls=True)
    assert len(docs) == 3  # the file still read
    bad = _fatal(problems)
    assert [(p.path, p.message) for p in bad] == [(url, message)]


def test_redirect_followed_and_reported_url(server):
    data, content_type, final_url = fetch_url(f"{server}/redirect", allow_private=True)
    assert final_url == f"{server}/feed_rss.xml"
    assert content_type == "application/rss+xml"
    assert data == RSS.read_bytes()
    docs, _ = load_documents([f"{server}/redirect"], allow_private_urls=True)
    assert len(docs) == 3


def test_size_limit_enforced_while_streaming(server):
    with pytest.raises(FetchError, match=r"^too large \(more than the 100,000 bytes limit\)$"):
        fetch_url(f"{server}/huge", allow_private=True, max_bytes=100_000)
    docs, problems = load_documents([f"{server}/huge"], allow_private_urls=True, max_bytes=200_000)
    assert docs == [] and problems[0].message.startswith("too large")


@pytest.mark.parametrize("path", ["/slow", "/drip"])
def test_timeout_covers_the_whole_fetch(server, path):
    # /drip would complete in 6 s without any single read timing out: only the deadline stops it.
    with pytest.raises(FetchError, match=r"^timed out after 1 s$"):
        fetch_url(server + path, allow_private=True, timeout=1)


def test_connection_refused():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="^connection refused$"):
        fetch_url(f"http://127.0.0.1:{port}/feed.xml", allow_private=True, timeout=2)


def test_unresolvable_host():
    docs, problems = load_documents(["http://no-such-host.invalid/feed.xml"])
    assert docs == []
    assert problems[0].message.startswith("cannot resolve host no-such-host.invalid")


# --- Address and scheme rules ---------------------------------------------------------------


def test_loopback_refused_without_the_flag(server):
    url = f"{server}/feed_rss.xml"
    docs, problems = load_documents([url])
    assert docs == []
    assert [str(p) for p in problems] == [
        f"error: {url}: refused: 127.0.0.1 is a loopback address; "
        "allow with --allow-private-urls (allow_private_urls=True in the API)"
    ]
    host_url = url.replace("127.0.0.1", "localhost")
    _, problems = load_documents([host_url])
    assert problems[0].message.startswith("refused: localhost resolves to ")
    assert "--allow-private-urls" in problems[0].message


@pytest.mark.parametrize(
    "ip, kind",
    [
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("127.0.0.2", "loopback"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
        ("::", "unspecified"),
    ],
)
def test_non_public_addresses_refused(ip, kind):
    with pytest.raises(NewsdigestError, match=f"{ip} is an? {kind} address; allow with --allow-private-urls"):
        check_address(ip)


@pytest.mark.parametrize("ip", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(ip):
    assert check_address(ip) is None


def test_every_resolved_address_is_checked(monkeypatch):
    def resolver(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(FetchError, match=r"^refused: news\.example resolves to 10\.0\.0\.7, a private address"):
        fetch_url("http://news.example/feed.xml")


def test_connection_goes_to_the_checked_address_with_the_name_kept(server, monkeypatch):
    """The host is resolved once and the request sent to that address (no second lookup to rebind)."""
    port = int(server.rsplit(":", 1)[1])
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        lookups.append(host)
        if host == "feeds.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    _Handler.seen_hosts.clear()
    data, _, final_url = fetch_url(f"http://feeds.example:{port}/feed_rss.xml", allow_private=True)
    assert data == RSS.read_bytes()
    assert final_url == f"http://feeds.example:{port}/feed_rss.xml"
    names = [h for h in lookups if not h.replace(".", "").isdigit()]  # the socket layer re-parses the IP literal
    assert names == ["feeds.example"]
    assert _Handler.seen_hosts == [f"feeds.example:{port}"]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.xml", "gopher://example.org/"])
def test_other_schemes_refused(url):
    assert is_url(url)
    docs, problems = load_documents([url], allow_private_urls=True)
    assert docs == []
    scheme = url.split(":")[0]
    assert [p.message for p in problems] == [f"unsupported URL scheme '{scheme}' (only http and https are fetched)"]


def test_fetch_url_raises_newsdigest_error_for_the_api():
    with pytest.raises(NewsdigestError, match="unsupported URL scheme"):
        fetch_url("file:///etc/passwd")


# --- Command line --------------------------------------------------------------------------------


def test_cli_summarizes_a_feed_url(server):
    url = f"{server}/feed_rss.xml"
    result = CliRunner().invoke(app, ["summarize", url, "--allow-private-urls", "--sentences", "2"])
    assert result.exit_code == 0, result.stderr
    assert "Ferry crews" in result.stdout or "lifeboat" in result.stdout.lower()
    assert "Traceback" not in result.stderr
    assert "only a teaser" in result.stderr


def test_cli_refuses_loopback_without_the_flag(server):
    url = f"{server}/feed_rss.xml"
    result = CliRunner().invoke(app, ["summarize", url])
    assert result.exit_code == 1
    assert f"newsdigest: error: {url}: refused: 127.0.0.1 is a loopback address" in result.stderr
    assert "--allow-private-urls" in result.stderr
    assert "Traceback" not in result.stderr


def test_https_to_the_checked_address_still_verifies_the_certificate_for_the_name(tmp_path, monkeypatch):
    """TLS goes to the resolved IP but with the host name as SNI, and the certificate is verified."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=feeds.example",
         "-addext", "subjectAltName=DNS:feeds.example"],
        check=True, capture_output=True,
    )  # fmt: skip
    names_seen: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names_seen.append(name)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    real_getaddrinfo = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "feeds.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    try:
        with pytest.raises(FetchError, match=r"^TLS certificate check failed \(.*CERTIFICATE_VERIFY_FAILED"):
            fetch_url(f"https://feeds.example:{port}/feed_rss.xml", allow_private=True, timeout=5)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
    assert names_seen == ["feeds.example"]


def test_cli_analyze_takes_the_flag_too(server):
    url = f"{server}/missing.xml"
    refused = CliRunner().invoke(app, ["analyze", url])
    assert refused.exit_code == 1
    assert "127.0.0.1 is a loopback address" in refused.stderr
    fetched = CliRunner().invoke(app, ["analyze", url, "--allow-private-urls"])  # now it gets as far as the server
    assert fetched.exit_code == 1
    assert f"newsdigest: error: {url}: HTTP 404 Not Found" in fetched.stderr
