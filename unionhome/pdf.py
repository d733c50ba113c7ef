"""The one PDF helper every PDF of the portal uses: `render_pdf(template_name, context)`, and
`cached_pdf(...)` for a PDF kept on disk and rendered by one request at a time.

- WeasyPrint renders a Django template (extend `pdf/base.html`) to PDF bytes.
- Chinese needs a CJK font from the system (fonts-noto-cjk, found through fontconfig). Without
  it WeasyPrint would print empty boxes, so the export fails with `PdfError` and a clear message.
- WeasyPrint fetches nothing from the network or the file system except our own static files:
  the document's base URL is a private origin (`PDF_ORIGIN`), so `{% static %}` paths resolve to
  it, and `StaticOnlyFetcher` serves those from the static files; `file://`, every other host and
  large `data:` URLs are refused (and recorded in `fetcher.refused`).
- User text is escaped by Django's templates; never mark it safe in a PDF template.
"""

import base64
import functools
import logging
import mimetypes
import os
import posixpath
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# A private origin that no network resolves (.invalid is reserved, RFC 2606).
PDF_ORIGIN = "https://unionhome-pdf.invalid"
# data: URLs above this size are refused (a small inline SVG icon is fine, a smuggled blob is not).
DATA_URL_MAX_BYTES = 64 * 1024
# Largest static file served to WeasyPrint.
STATIC_MAX_BYTES = 5 * 1024 * 1024


class PdfError(Exception):
    """The PDF cannot be made; the message is shown to the user as it is."""


# --- fonts -------------------------------------------------------------------------------


def cjk_font_family() -> str:
    return getattr(settings, "UNIONHOME_PDF_FONT_FAMILY", "Noto Sans CJK SC")


@functools.lru_cache(maxsize=8)
def _font_styles(family: str) -> frozenset[str]:
    """The styles ("Regular", "Bold", ...) fontconfig knows for a family (empty if none)."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    styles = set()
    try:
        font_set = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
        if font_set == ffi.NULL:
            return frozenset()
        value = ffi.new("FcChar8 **")
        for index in range(font_set.nfont):
            pattern = font_set.fonts[index]
            families = []
            n = 0
            while fontconfig.FcPatternGetString(pattern, b"family", n, value) == fontconfig.FcResultMatch:
                families.append(ffi.string(value[0]).decode("utf-8", "replace"))
                n += 1
            if family not in families:
                continue
            if fontconfig.FcPatternGetString(pattern, b"style", 0, value) == fontconfig.FcResultMatch:
                styles.add(ffi.string(value[0]).decode("utf-8", "replace"))
    finally:
        fontconfig.FcConfigDestroy(config)
    return frozenset(styles)


def check_cjk_font() -> None:
    """Raise PdfError unless the CJK font family is installed with a regular and a bold face."""
    family = cjk_font_family()
    styles = _font_styles(family)
    if not styles:
        raise PdfError(
            _("服务器缺少中文字体“%(family)s”，无法生成 PDF（请安装 fonts-noto-cjk）。") % {"family": family}
        )
    if not any("bold" in style.lower() for style in styles):
        raise PdfError(
            _("服务器缺少中文字体“%(family)s”的粗体，无法生成 PDF（请安装 fonts-noto-cjk）。")
            % {"family": family}
        )


# --- the restricted URL fetcher ----------------------------------------------------------


def _static_file_path(url_path: str) -> str | None:
    """The file system path of a static file named by a URL path under STATIC_URL, or None."""
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not url_path.startswith(static_prefix):
        return None
    relative = unquote(url_path[len(static_prefix) :])
    normalised = posixpath.normpath(relative)
    if not relative or normalised.startswith(("..", "/")) or "\\" in relative or "\x00" in relative:
        return None
    if normalised != relative.rstrip("/"):
        return None
    found = finders.find(normalised)
    if found:
        return found
    try:
        if staticfiles_storage.exists(normalised):
            return staticfiles_storage.path(normalised)
    except (NotImplementedError, ValueError, OSError):
        return None
    return None


def _make_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves our own static files and small data: URLs; refuses everything else."""

        def __init__(self):
            super().__init__(allowed_protocols=(), allow_redirects=False)
            self.served: list[str] = []
            self.refused: list[str] = []

        def _refuse(self, url, reason):
            self.refused.append(url)
            logger.info("PDF fetch refused (%s): %.200s", reason, url)
            raise ValueError(f"refused by the PDF URL fetcher: {reason}")

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return self._data(url)
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}".lower()
            if origin != PDF_ORIGIN:
                self._refuse(url, "not our own origin")
            path = _static_file_path(parts.path)
            if path is None:
                self._refuse(url, "not a static file")
            with open(path, "rb") as handle:
                body = handle.read(STATIC_MAX_BYTES + 1)
            if len(body) > STATIC_MAX_BYTES:
                self._refuse(url, "too large")
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            self.served.append(url)
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

        def _data(self, url):
            header, _comma, payload = url[5:].partition(",")
            if len(payload) > DATA_URL_MAX_BYTES * 4 // 3 + 4:
                self._refuse(url, "data: URL too large")
            try:
                if header.endswith(";base64"):
                    body = base64.b64decode(payload, validate=True)
                    header = header[: -len(";base64")]
                else:
                    body = unquote(payload).encode("utf-8")
            except ValueError:
                self._refuse(url, "malformed data: URL")
            if len(body) > DATA_URL_MAX_BYTES:
                self._refuse(url, "data: URL too large")
            self.served.append(url[:60])
            return URLFetcherResponse(url, body, {"Content-Type": header or "text/plain"})

    return StaticOnlyFetcher


@functools.cache
def _fetcher_class():
    return _make_fetcher_class()


def make_fetcher():
    return _fetcher_class()()


# --- rendering ---------------------------------------------------------------------------


def page_footer_content() -> str:
    """CSS `content` for the footer 第 N 页 / 共 M 页 (translatable, page counters filled in by CSS)."""
    text = _("第 {page} 页 / 共 {pages} 页")

    def quoted(piece):
        return '"' + piece.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    out = []
    rest = text
    while rest:
        head, marker, rest = rest.partition("{")
        if head:
            out.append(quoted(head))
        if marker:
            name, _brace, rest = rest.partition("}")
            out.append("counter(pages)" if name == "pages" else "counter(page)")
    return " ".join(out)


def render_pdf(template_name: str, context: dict, *, request=None, fetcher=None) -> bytes:
    """Render a template to PDF bytes; raise PdfError when the CJK font is missing."""
    import weasyprint

    check_cjk_font()
    context = {
        **context,
        "pdf_font_family": cjk_font_family(),
        "pdf_page_footer": page_footer_content(),
    }
    html = render_to_string(template_name, context, request=request)
    fetcher = fetcher or make_fetcher()
    document = weasyprint.HTML(string=html, base_url=PDF_ORIGIN + "/", url_fetcher=fetcher)
    return document.write_pdf()


# --- The cached PDF, rendered by one request at a time ------------------------------------------


def _write_atomically(path: Path, data: bytes, *, stale: str) -> None:
    """Write the file whole or not at all, then remove the older versions (`stale`, a glob)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    for old in path.parent.glob(stale):
        if old != path:
            old.unlink(missing_ok=True)


def cached_pdf(*, directory, name: str, key: str, render, lock: str, lock_seconds: int = 300) -> Path | None:
    """The PDF `<directory>/<name>-<key>.pdf`, rendered by `render()` (bytes) when it is not there
    yet, by one request at a time: while another request holds `lock` (in the shared cache, so
    across workers and servers) this returns None and the caller answers "being prepared".

    The key says what the PDF shows (a fingerprint of its data, the language, the template's
    version): a new key renders afresh, and the older files of the same name are removed.
    """
    path = Path(directory) / f"{name}-{key}.pdf"
    if path.exists():
        return path
    if not cache.add(lock, key, lock_seconds):
        return None
    try:
        if not path.exists():
            _write_atomically(path, render(), stale=f"{name}-*.pdf")
    finally:
        cache.delete(lock)
    return path
