"""The detail panel's data and the map service that answers it: a parcel's details as labelled
text, published per map under an unguessable token, answered over HTTP by the app's routes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from office_support import publish_dataset, save_layer
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest
from ui_support import HOSTILE, tiny_parcels

from ui import map_service, workspace
from ui.detail import FrameDetails, detail_payload, map_detail

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(autouse=True)
def _fresh_registry() -> None:
    map_service.forget_all()


def _client(base_path: str = "") -> TestClient:
    return TestClient(Starlette(routes=map_service.routes(base_path)))


def test_a_parcels_details_are_its_fields_as_labelled_text_with_the_recommendation_on_top() -> None:
    row = tiny_parcels(3).iloc[0]
    zh = detail_payload(row, "zh")
    assert zh["id"] == "T0000"
    assert zh["lines"][0] == ["规划建议", "保留工业用途，作为储备地块"]
    assert zh["lines"][1] == ["触发规则", "R1"]
    rows = dict(zh["rows"])
    assert rows["权利人"] == HOSTILE  # the text as it is: the browser puts it in with textContent
    assert rows["宗地编号"] == "T0000"
    assert "geometry" not in json.dumps(zh, ensure_ascii=False)
    en = dict(detail_payload(row, "en")["rows"])
    assert en["Enterprise"] == HOSTILE


def test_details_are_found_by_id_and_the_first_row_of_a_repeated_id_wins() -> None:
    frame = tiny_parcels(4)
    frame.loc[2, "parcel_id"] = "T0001"  # a repeated id
    details = FrameDetails(frame, "zh")
    assert dict(details.detail("T0001")["rows"])["权利人"] == "企业1"
    assert details.detail("nope") is None
    assert details.tile(15, 0, 0) is None


def test_the_service_answers_a_published_maps_details_and_nothing_else() -> None:
    frame = tiny_parcels(5)
    option = map_detail(frame, key=("person", "ds", 1.0), lang="zh", base_path="")
    url = str(option["url"])
    assert re.fullmatch(r"/huli-map/[0-9a-f]{40}/", url)
    client = _client()
    answer = client.get(url + "parcel/T0003")
    assert answer.status_code == 200
    assert answer.json()["id"] == "T0003"
    assert dict(answer.json()["rows"])["权利人"] == "企业3"
    assert client.get(url + "parcel/T9999").status_code == 404
    assert client.get("/huli-map/" + "0" * 40 + "/parcel/T0003").status_code == 404  # a token not given out
    assert client.get(url + "tile/15/0/0").status_code == 404  # a small layer has no tiles
    assert client.get(url + "tile/3/8/0").status_code == 404  # no such tile at zoom 3
    assert client.post(url + "parcel/T0003").status_code == 405  # reads only


def test_the_same_map_gets_the_same_token_and_another_map_another() -> None:
    frame = tiny_parcels(3)
    a = map_detail(frame, key=("p", "ds", 1.0), lang="zh")["url"]
    assert map_detail(frame, key=("p", "ds", 1.0), lang="zh")["url"] == a  # a rerun: the map's HTML stays
    assert map_detail(frame, key=("p", "ds", 2.0), lang="zh")["url"] != a  # a new version of the data
    assert map_detail(frame, key=("q", "ds", 1.0), lang="zh")["url"] != a  # another person
    assert map_detail(frame, key=("p", "ds", 1.0), lang="en")["url"] != a


def test_the_registry_keeps_the_most_recently_used_maps() -> None:
    built: list[object] = []

    def make(key: object) -> FrameDetails:
        built.append(key)
        return FrameDetails(tiny_parcels(1), "zh")

    first = map_service.publish("first", lambda: make("first"))
    for i in range(map_service.MAX_ENTRIES - 1):
        map_service.publish(i, lambda i=i: make(i))  # the registry is full now
    assert map_service.lookup(first) is not None  # used now: the newest
    map_service.publish("one more", lambda: make("one more"))  # the oldest (0) goes
    assert map_service.lookup(first) is not None
    map_service.publish(1, lambda: make(1))  # still there: not built again
    map_service.publish(0, lambda: make(0))  # gone: built again
    assert built.count("first") == 1 and built.count(1) == 1 and built.count(0) == 2


def test_a_source_built_for_one_person_serves_another_with_the_same_content_under_their_own_token(
        monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []

    class Heavy(FrameDetails):
        weight = 600

    def make(who: str) -> FrameDetails:
        built.append(who)
        return Heavy(tiny_parcels(1), "zh")

    monkeypatch.setattr(map_service, "MAX_WEIGHT", 1000)
    p_token, p_source = map_service.share(("p", "tiles"), lambda: make("p"), content="tiles")
    q_token, q_source = map_service.share(("q", "tiles"), lambda: make("q"), content="tiles")
    assert built == ["p"] and q_source is p_source  # q's first map: nothing built again
    assert q_token != p_token  # each person keeps a token of their own
    # one source under two tokens weighs 600, not 1,200: both stay
    assert map_service.lookup(p_token) is p_source and map_service.lookup(q_token) is p_source
    _, other = map_service.share(("q", "other"), lambda: make("other"), content="other")
    assert built == ["p", "other"] and other is not p_source  # other content: built


def test_the_registry_also_bounds_the_parcels_its_maps_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    class Heavy(FrameDetails):
        weight = 600

    monkeypatch.setattr(map_service, "MAX_WEIGHT", 1000)
    a = map_service.publish("a", lambda: Heavy(tiny_parcels(1), "zh"))
    b = map_service.publish("b", lambda: Heavy(tiny_parcels(1), "zh"))  # 1,200 > 1,000: a goes
    assert map_service.lookup(a) is None and map_service.lookup(b) is not None


def test_the_service_lives_under_the_apps_base_path() -> None:
    option = map_detail(tiny_parcels(2), key=("p",), lang="zh", base_path="/gis/")
    assert str(option["url"]).startswith("/gis/huli-map/")
    assert _client("/gis/").get(str(option["url"]) + "parcel/T0001").status_code == 200


def test_the_parcels_page_publishes_the_data_in_use_for_its_map() -> None:
    ds = "00000000000000aa"
    save_layer(ds, tiny_parcels(5))
    workspace.write_options(ds, {"filename": "tiny.geojson"})
    publish_dataset(ds)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("ui/pages/parcels.py").run()
    assert not at.exception, at.exception
    args = " ".join(str(getattr(e, "proto", "")) for e in _components(at))  # the map's HTML
    tokens = set(re.findall(r"/huli-map/([0-9a-f]{40})/", args))
    assert len(tokens) == 1, tokens
    source = map_service.lookup(tokens.pop())
    assert source is not None
    detail = source.detail("T0000")
    assert detail is not None and dict(detail["rows"])["权利人"] == HOSTILE


def _components(at: AppTest) -> list[object]:
    out: list[object] = []

    def walk(node: object) -> None:
        children = getattr(node, "children", None)
        for child in (children.values() if isinstance(children, dict) else []):
            if type(child).__name__ == "UnknownElement":
                out.append(child)
            walk(child)

    walk(at.main)
    return out
