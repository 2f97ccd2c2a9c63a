"""Registry of agencies and localities: the facts the agency recogniser needs, read from
``data/registry/agencies.tsv``, ``data/registry/localities.tsv`` and
``data/registry/agency_terms.tsv`` (every row carries a ``source``).

- :class:`Locality`: a province-level unit (the 63 of 2008–2024, Huế city of 2025, and the 34 of
  the 1 July 2025 reorganisation) or a district-level unit (Đắk Nông's eight, 2020–2025).
  ``full_name`` is the name used after an agency ("tỉnh Đắk Nông", "thành phố Cần Thơ",
  "Thành phố Hồ Chí Minh"); ``short`` the bare name used after Party and press bodies.
- :class:`AgencyRow`: a national body (``level == "national"``: "Bộ Y tế") or a template of a
  body that every province has (``level == "province"``: "Sở Y tế" → "Sở Y tế tỉnh Lạng Sơn").
  In a template ``{ủy}`` stands for "Tỉnh ủy" (province) or "Thành ủy" (centrally-run city).
  ``abbreviations`` may be matched anywhere; ``short_forms`` only inside recipient lists
  ("Nơi nhận") and filing lines ("Lưu:").
- :class:`Term`: a phrase and its written variants ("ủy ban nhân dân" ↔ "UBND"); the recogniser
  builds every name pattern with them.

The product reads these files from the package tree (``data/registry`` next to ``graph/``);
nothing here needs ``../shared``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from graph.errors import ReadError
from graph.ingest.text import fold_key

REGISTRY_DIR = Path(__file__).resolve().parent.parent / "data" / "registry"
"""Default directory of the registry files."""


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


@dataclass(frozen=True)
class Locality:
    """One administrative unit (a row of ``localities.tsv``).

    ``kind``: "tỉnh", "thành phố", "huyện" or "quốc gia"; ``level``: national, province or
    district; ``valid_from``/``valid_to``: ISO dates ("" = open); ``merged_into``: id of the unit
    that took it over on 1 July 2025; ``variants``: other spellings ("Đăk Nông").
    """

    id: str
    kind: str
    name: str
    full_name: str
    short: str
    english: str
    level: str
    parent: str
    valid_from: str
    valid_to: str
    merged_into: str
    variants: tuple[str, ...]
    source: str

    @property
    def is_city(self) -> bool:
        """True for a centrally-run city (its Party committee is a "Thành ủy")."""
        return self.kind == "thành phố" and self.level == "province"


@dataclass(frozen=True)
class AgencyRow:
    """One agency or agency template (a row of ``agencies.tsv``); see the module docstring.

    ``kind``: government, party, front, mass, press, judicial or other. ``parent``: the name
    (or template) of the body it belongs to, "" for none.
    """

    id: str
    level: str
    kind: str
    name: str
    abbreviations: tuple[str, ...]
    short_forms: tuple[str, ...]
    english: str
    parent: str
    valid_from: str
    valid_to: str
    source: str


@dataclass(frozen=True)
class Term:
    """A phrase and its variants as written (a row of ``agency_terms.tsv``): ``term`` is the
    folded key (lower case), ``display`` the phrase as the canonical name writes it."""

    term: str
    variants: tuple[str, ...]
    source: str
    display: str = ""


@dataclass(frozen=True, eq=False)
class AgencyRegistry:
    """The loaded registry. Build with :func:`load_agency_registry`.

    ``localities``: every row; ``provinces``: province-level units; ``agencies``: every agency
    row; ``terms``: phrase variants.
    """

    localities: tuple[Locality, ...]
    agencies: tuple[AgencyRow, ...]
    terms: tuple[Term, ...]
    _by_key: dict = field(default_factory=dict, repr=False)

    @cached_property
    def provinces(self) -> tuple[Locality, ...]:
        """Province-level units (all periods)."""
        return tuple(x for x in self.localities if x.level == "province")

    @cached_property
    def _agency_by_id(self) -> dict[str, AgencyRow]:
        """First agency row of each ``id`` (registry order)."""
        out: dict[str, AgencyRow] = {}
        for a in self.agencies:
            out.setdefault(a.id, a)
        return out

    def locality(self, name: str, on: str | None = None) -> Locality | None:
        """The unit called ``name`` (any case, old or new tone marks, "Đăk" or "Đắk"; with or
        without "tỉnh"/"thành phố"), the one valid on ``on`` (ISO date) when several share the
        name, else the most recent. None when unknown."""
        k = locality_key(name)
        for prefix in ("tinh ", "thanh pho ", "tp. ", "tp ", "huyen ", "thi xa "):
            if k.startswith(prefix) and k[len(prefix):] in self._by_key:
                k = k[len(prefix):]
                break
        cands = self._by_key.get(k, [])
        if not cands:
            return None
        if on:
            for c in cands:
                if (not c.valid_from or c.valid_from <= on) and (not c.valid_to or on <= c.valid_to):
                    return c
        return cands[-1]

    def parts_of(self, locality: Locality) -> tuple[Locality, ...]:
        """District-level units whose ``parent`` is ``locality`` (by id; pre-2025 rows)."""
        return tuple(x for x in self.localities if x.parent == locality.id)

    def agency(self, agency_id: str) -> AgencyRow | None:
        """The agency row with this ``id``, or None."""
        return self._agency_by_id.get(agency_id)


@lru_cache(maxsize=8192)
def locality_key(name: str) -> str:
    """Comparison key of a place name: tone-folded, accents removed, "đ"→"d", apostrophes and
    hyphens dropped, spaces collapsed. ``locality_key("Đăk R'lấp") == locality_key("Đắk R'Lấp")``."""
    from graph.ingest.text import strip_accents

    k = strip_accents(fold_key(name)).replace("'", "").replace("’", "").replace("-", " ")
    return " ".join(k.split())


def _read(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t"))
    except OSError as e:
        raise ReadError(str(path), f"cannot read registry file: {e}") from e
    for i, r in enumerate(rows, start=2):
        if not (r.get("source") or "").strip():
            raise ReadError(str(path), f"line {i}: row without a source")
    return rows


@lru_cache(maxsize=4)
def load_agency_registry(directory: str | Path | None = None) -> AgencyRegistry:
    """Load the three registry files from ``directory`` (default :data:`REGISTRY_DIR`).

    Output: an :class:`AgencyRegistry` (cached per directory). Raises
    :class:`~graph.errors.ReadError` when a file is missing or a row has no ``source``.
    """
    d = Path(directory) if directory else REGISTRY_DIR
    locs = tuple(
        Locality(
            id=r["id"], kind=r["kind"], name=r["name"], full_name=r["full_name"], short=r["short"],
            english=r["english"], level=r["level"], parent=r["parent"], valid_from=r["valid_from"],
            valid_to=r["valid_to"], merged_into=r["merged_into"], variants=_split(r["variants"]),
            source=r["source"],
        )
        for r in _read(d / "localities.tsv")
    )
    ags = tuple(
        AgencyRow(
            id=r["id"], level=r["level"], kind=r["kind"], name=r["name"],
            abbreviations=_split(r["abbreviations"]), short_forms=_split(r["short_forms"]),
            english=r["english"], parent=r["parent"], valid_from=r["valid_from"],
            valid_to=r["valid_to"], source=r["source"],
        )
        for r in _read(d / "agencies.tsv")
    )
    terms = tuple(
        Term(term=fold_key(r["term"]), variants=_split(r["variants"]), source=r["source"],
             display=r["term"])
        for r in _read(d / "agency_terms.tsv")
    )
    by_key: dict[str, list[Locality]] = {}
    for loc in locs:
        if loc.level == "national":
            continue
        for nm in (loc.name, *loc.variants):
            by_key.setdefault(locality_key(nm), []).append(loc)
    for v in by_key.values():
        v.sort(key=lambda x: x.valid_from or "")
    return AgencyRegistry(localities=locs, agencies=ags, terms=terms, _by_key=by_key)
