"""Map assets served by the app itself, never from a public CDN.

folium lists Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers on public
CDNs, and streamlit-folium's frontend loads every ``default_js``/``default_css`` link it
finds on the map's elements.  On an intranet those requests fail and the map stays
blank, so the app

* copies Leaflet (from the pinned ``XStatic-Leaflet`` package) into ``static/vendor/``
  at start-up (:func:`ensure_vendor_assets`), which Streamlit serves at
  ``/app/static/...`` (``[server] enableStaticServing = true``), and
* rewrites the links of every element of a map before it is shown (:func:`localize`):
  Leaflet's are pointed at the local copy, the ones the product's maps never use
  (jQuery, Bootstrap, glyphicons, Font Awesome, awesome-markers) are dropped, and any
  other remote link raises, so a new plugin cannot silently reach the internet.

The product's maps avoid branca colormaps, for which streamlit-folium would add d3 from
a CDN; legends are drawn by the page instead.
"""

from __future__ import annotations

import filecmp
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import branca.colormap
import folium
import folium.elements
import folium.plugins
import xstatic.pkg.leaflet as xs_leaflet
from branca.element import Element

from core.errors import ConfigError
from core.files import atomic_write

__all__ = [
    "STATIC_DIR",
    "VENDOR_DIR",
    "LEAFLET_FILES",
    "ensure_vendor_assets",
    "static_url",
    "leaflet_js_url",
    "leaflet_css_url",
    "is_local_url",
    "iter_asset_elements",
    "collect_links",
    "localize",
]

logger = logging.getLogger(__name__)

#: Folder Streamlit serves at ``/app/static`` (next to app.py).
STATIC_DIR: Path = Path(__file__).resolve().parents[1] / "static"
#: Where third-party files are copied at start-up (git-ignored).
VENDOR_DIR: Path = STATIC_DIR / "vendor"

#: Files of XStatic-Leaflet copied to ``static/vendor/leaflet`` (relative paths).
LEAFLET_FILES: tuple[str, ...] = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)

# folium link names that point at Leaflet itself, and the local file each maps to.
_LOCAL_REPLACEMENTS: dict[str, str] = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
}
# folium link names the product's maps do not need (no awesome markers, no Bootstrap UI).
_DROPPED: frozenset[str] = frozenset(
    {
        "jquery",
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)


def _copy_if_changed(src: Path, dst: Path) -> bool:
    if dst.exists() and dst.stat().st_size == src.stat().st_size and filecmp.cmp(src, dst, shallow=False):
        return False
    atomic_write(dst, lambda tmp: shutil.copyfile(src, tmp))
    return True


def ensure_vendor_assets(static_dir: Path | None = None) -> list[Path]:
    """Copy Leaflet's JS, CSS and images into ``static/vendor/leaflet``.

    Idempotent: a file is (atomically) written only when it is missing or differs
    from the installed package's copy.

    Parameters
    ----------
    static_dir
        The app's static folder; defaults to :data:`STATIC_DIR`.

    Returns
    -------
    list of Path
        The files that were written on this call (empty when all were current).
    """
    root = (static_dir or STATIC_DIR) / "vendor" / "leaflet"
    source = Path(xs_leaflet.BASE_DIR)
    written = []
    for rel in LEAFLET_FILES:
        src = source / rel
        if not src.is_file():
            raise ConfigError(
                f"XStatic-Leaflet is incomplete: {src} is missing. Reinstall it with "
                "`.venv/bin/pip install --force-reinstall -r requirements.txt`.",
                f"XStatic-Leaflet 安装不完整：缺少 {src}。请执行 "
                "`.venv/bin/pip install --force-reinstall -r requirements.txt` 重新安装。",
            )
        dst = root / rel
        if _copy_if_changed(src, dst):
            written.append(dst)
    if written:
        logger.info("copied %d Leaflet asset(s) into %s", len(written), root)
    return written


def static_url(relative: str, *, base_path: str = "") -> str:
    """URL path under which Streamlit serves ``static/<relative>``.

    Parameters
    ----------
    relative
        Path inside the static folder, e.g. ``"vendor/leaflet/leaflet.js"``.
    base_path
        Streamlit's ``server.baseUrlPath`` when the app is served below a prefix.
    """
    prefix = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"{prefix}/app/static/{relative.lstrip('/')}"


def leaflet_js_url(*, base_path: str = "") -> str:
    """Local URL of leaflet.js."""
    return static_url(_LOCAL_REPLACEMENTS["leaflet"], base_path=base_path)


def leaflet_css_url(*, base_path: str = "") -> str:
    """Local URL of leaflet.css."""
    return static_url(_LOCAL_REPLACEMENTS["leaflet_css"], base_path=base_path)


def is_local_url(url: str) -> bool:
    """True when ``url`` is served by the app itself (a path with no host)."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def iter_asset_elements(element: Element) -> Iterator[Element]:
    """Walk a map the way streamlit-folium does when it collects asset links.

    Yields every branca colormap and every element carrying ``default_js`` /
    ``default_css`` (folium's ``JSCSSMixin``), depth first.
    """
    if isinstance(element, branca.colormap.ColorMap):
        yield element
    if isinstance(element, folium.plugins.DualMap):
        yield from iter_asset_elements(element.m1)
        yield from iter_asset_elements(element.m2)
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from iter_asset_elements(child)


def collect_links(element: Element) -> tuple[list[str], list[str]]:
    """The JS and CSS links streamlit-folium's frontend would load for ``element``.

    Mirrors ``streamlit_folium.st_folium``: colormaps add two d3 links from CDNs.

    Returns
    -------
    tuple of (js_links, css_links)
        Deduplicated, in load order.
    """
    js: list[str] = []
    css: list[str] = []
    for elem in iter_asset_elements(element):
        if isinstance(elem, branca.colormap.ColorMap):
            js.insert(0, "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js")
            js.insert(0, "https://d3js.org/d3.v4.min.js")
        css.extend(href for _, href in getattr(elem, "default_css", []))
        js.extend(src for _, src in getattr(elem, "default_js", []))
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


def _localize_links(links: list[tuple[str, str]], *, base_path: str, owner: str) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if is_local_url(url):
            out.append((name, url))
        elif name in _LOCAL_REPLACEMENTS:
            out.append((name, static_url(_LOCAL_REPLACEMENTS[name], base_path=base_path)))
        elif name in _DROPPED:
            continue
        else:
            raise ConfigError(
                f"Map element {owner} wants the remote asset {name!r} ({url}), which an offline "
                "installation cannot load. Vendor it under static/vendor/ and map it in ui/assets.py, "
                "or do not use that element.",
                f"地图元素 {owner} 需要远程资源 {name!r}（{url}），离线环境无法加载。请将其放入 "
                "static/vendor/ 并在 ui/assets.py 中登记，或不要使用该元素。",
            )
    return out


def localize(fmap: folium.Map, *, base_path: str = "") -> folium.Map:
    """Point every asset link of ``fmap`` at the app's own static files.

    Works in place on the map's elements (each element gets its own link lists, so
    folium's class-level defaults are untouched) and returns the map.

    Parameters
    ----------
    fmap
        The map to be shown.
    base_path
        Streamlit's ``server.baseUrlPath`` when the app is served below a prefix.

    Raises
    ------
    ConfigError
        If the map holds a branca colormap (streamlit-folium would add d3 from a CDN)
        or an element whose remote asset has no local copy.
    """
    for elem in iter_asset_elements(fmap):
        if isinstance(elem, branca.colormap.ColorMap):
            raise ConfigError(
                "A branca colormap is on the map; streamlit-folium would load d3 from a CDN. "
                "Draw the legend in the page instead.",
                "地图上有 branca 色带，streamlit-folium 会从 CDN 加载 d3。请改为在页面中绘制图例。",
            )
        owner = type(elem).__name__
        # the elements yielded here carry default_js / default_css (folium's JSCSSMixin)
        elem.default_js = _localize_links(list(elem.default_js), base_path=base_path,  # type: ignore[attr-defined]
                                          owner=owner)
        elem.default_css = _localize_links(list(elem.default_css), base_path=base_path,  # type: ignore[attr-defined]
                                           owner=owner)
    return fmap
