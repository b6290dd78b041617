"""Offline map assets: every link the map's frontend would load is served locally."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import ClassVar

import branca.colormap
import folium
import folium.elements
import pytest
import streamlit_folium
import xstatic.pkg.leaflet as xs_leaflet
from ui_support import tiny_parcels, tiny_zones

from core.errors import ConfigError
from ui import assets, mapview


def _streamlit_folium_links(fmap: folium.Map, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The js/css links st_folium hands to its frontend, captured at the component call."""
    captured: dict[str, object] = {}

    def fake_component(**kwargs: object) -> dict[str, object]:
        captured.update(kwargs)
        return {}

    monkeypatch.setattr(streamlit_folium, "_component_func", fake_component)
    streamlit_folium.st_folium(fmap, key="t", returned_objects=[])
    return list(captured["js_links"]), list(captured["css_links"])  # type: ignore[arg-type]


def _walk_links(element: object) -> tuple[list[str], list[str]]:
    """streamlit-folium's own walk, restated here independently of ui.assets."""
    js: list[str] = []
    css: list[str] = []

    def walk(el: object) -> None:
        if isinstance(el, branca.colormap.ColorMap):
            js.append("https://d3js.org/d3.v4.min.js")
        if isinstance(el, folium.elements.JSCSSMixin):
            js.extend(u for _, u in el.default_js)
            css.extend(u for _, u in el.default_css)
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(element)
    return js, css


def _is_local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


@pytest.mark.parametrize("basemap", ["offline", "osm", "amap"])
def test_built_map_loads_only_local_assets(basemap: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fmap = mapview.build_map(tiny_parcels(), theme="land_use", basemap=basemap, zones=tiny_zones(),
                             district=tiny_zones().iloc[:1])
    js, css = _walk_links(fmap)
    assert js and css
    assert all(_is_local(u) for u in js + css), js + css
    sf_js, sf_css = _streamlit_folium_links(fmap, monkeypatch)
    assert sf_js == ["/app/static/vendor/leaflet/leaflet.js"]
    assert sf_css == ["/app/static/vendor/leaflet/leaflet.css"]


def test_default_folium_map_would_reach_cdns() -> None:
    # the reason localize() exists: folium's defaults are public CDNs
    js, css = _walk_links(folium.Map(tiles=None))
    assert any(u.startswith("https://") for u in js + css)


def test_localize_leaves_folium_class_defaults_untouched() -> None:
    before = list(folium.Map.default_js)
    assets.localize(folium.Map(tiles=None))
    assert folium.Map.default_js == before
    assert folium.Map(tiles=None).default_js[0][1].startswith("https://")


def test_localize_honours_base_path() -> None:
    fmap = assets.localize(folium.Map(tiles=None), base_path="/huli/")
    assert fmap.default_js == [("leaflet", "/huli/app/static/vendor/leaflet/leaflet.js")]


def test_localize_refuses_colormaps() -> None:
    fmap = folium.Map(tiles=None)
    branca.colormap.LinearColormap(["red", "blue"]).add_to(fmap)
    with pytest.raises(ConfigError, match="d3"):
        assets.localize(fmap)


def test_localize_refuses_unknown_remote_plugin() -> None:
    class Plugin(folium.elements.JSCSSMixin, folium.map.Layer):
        default_js: ClassVar[list[tuple[str, str]]] = [("some_plugin", "https://cdn.example.org/plugin.js")]

    fmap = folium.Map(tiles=None)
    Plugin().add_to(fmap)
    with pytest.raises(ConfigError, match="some_plugin"):
        assets.localize(fmap)


def test_rendered_map_page_names_no_remote_host() -> None:
    fmap = mapview.build_map(tiny_parcels(), theme="expiry_status", zones=tiny_zones())
    page = fmap.get_root().render()
    assert "http://" not in page and "https://" not in page


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_ensure_vendor_assets_copies_once_and_repairs(tmp_path: Path) -> None:
    written = assets.ensure_vendor_assets(tmp_path)
    assert {p.relative_to(tmp_path / "vendor" / "leaflet").as_posix() for p in written} == set(assets.LEAFLET_FILES)
    src = Path(xs_leaflet.BASE_DIR)
    for rel in assets.LEAFLET_FILES:
        assert _sha(tmp_path / "vendor" / "leaflet" / rel) == _sha(src / rel)
    assert assets.ensure_vendor_assets(tmp_path) == []
    js = tmp_path / "vendor" / "leaflet" / "leaflet.js"
    js.write_text("tampered", encoding="utf-8")
    assert assets.ensure_vendor_assets(tmp_path) == [js]
    assert _sha(js) == _sha(src / "leaflet.js")


@pytest.mark.parametrize(
    ("url", "local"),
    [("/app/static/x.js", True), ("vendor/x.js", True), ("https://cdn.example.org/x.js", False),
     ("//cdn.example.org/x.js", False), ("http://localhost/x.js", False)],
)
def test_is_local_url(url: str, local: bool) -> None:
    assert assets.is_local_url(url) is local


def test_static_url() -> None:
    assert assets.static_url("vendor/a.js") == "/app/static/vendor/a.js"
    assert assets.static_url("/vendor/a.js", base_path="x") == "/x/app/static/vendor/a.js"
