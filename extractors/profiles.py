"""CMS-family profiles (extractors/profiles.toml), loaded once and matched per page."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from lxml import html


@dataclass(frozen=True)
class Profile:
    name: str
    version: str
    url: re.Pattern[str] | None
    marker: str | None
    body: tuple[str, ...]
    title: tuple[str, ...]
    info: tuple[str, ...]
    remove: tuple[str, ...]
    korean_only: bool = False
    family: str | None = None  # profiles that share reading rules, e.g. 'government_board'

    def applies_to(self, url: str | None, tree: html.HtmlElement, korean: bool) -> bool:
        if self.korean_only and not korean:
            return False
        if self.url is not None and url and self.url.search(url):
            return True
        return bool(self.marker and tree.cssselect(self.marker))


@lru_cache(maxsize=1)
def load_profiles() -> tuple[Profile, ...]:
    data = tomllib.loads(files("extractors").joinpath("profiles.toml").read_text(encoding="utf-8"))
    return tuple(
        Profile(
            name=entry["name"],
            version=str(entry["version"]),
            url=re.compile(entry["url"]) if entry.get("url") else None,
            marker=entry.get("marker"),
            body=tuple(entry.get("body", ())),
            title=tuple(entry.get("title", ())),
            info=tuple(entry.get("info", ())),
            remove=tuple(entry.get("remove", ())),
            korean_only=bool(entry.get("korean_only", False)),
            family=entry.get("family"),
        )
        for entry in data["profile"]
    )


def match_profile(url: str | None, tree: html.HtmlElement, korean: bool) -> Profile | None:
    return next((profile for profile in load_profiles() if profile.applies_to(url, tree, korean)), None)
