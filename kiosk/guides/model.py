"""The content pack as Python objects: matters (事项), themes (一件事), materials, steps.

Plain dataclasses, no I/O: kiosk/guides/loader.py builds them from the pack's YAML files,
bench/guide_search.py builds thousands of them in memory. docs/content-pack.md is the format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.guides.media import Case, CasePanel, Video  # noqa: F401  (part of the model)

LEVELS = ("city", "county", "township", "village")
LEVEL_NAMES = {"city": "市级", "county": "县区级", "township": "乡镇（街道）", "village": "村（社区）"}
FORMS = {"original": "原件", "copy": "复印件", "original_and_copy": "原件和复印件"}
# e-licence types (电子证照) a material may be replaced by (POST /api/v1/licences/fetch)
LICENCE_TYPES = {"id_card": "居民身份证", "hukou": "户口簿", "sscard": "社会保障卡", "marriage": "结婚证",
                 "property": "不动产权证书", "driving": "机动车驾驶证"}


@dataclass
class Annotation:
    """A numbered review point drawn on a sample picture; x, y are 0..1 of the picture's size."""
    n: int
    x: float
    y: float
    text: str
    check: str = ""                 # the pre-review check this point shows (kiosk/review/kinds.py), if any


@dataclass
class ReviewRule:
    """What the terminal checks on a photo of the material (docs/content-pack.md, *review*)."""
    kind: str                       # id_card_front | id_card_back | hukou_page | form | generic
    required: list[str] = field(default_factory=list)   # form: labels of the fields that must be filled


@dataclass
class Material:
    """One thing the citizen brings (or shows as an electronic certificate)."""
    id: str
    name: str
    form: str = "original"          # original | copy | original_and_copy
    copies: int = 1
    e_certificate: bool = False     # 电子证照可替代: the terminal can fetch it, nothing to bring
    licence: str = ""               # the e-licence type that replaces it (LICENCE_TYPES), fetched with consent
    required: bool = True
    note: str = ""
    sample: str = ""                # path inside the pack, e.g. assets/samples/id_card.png
    annotations: list[Annotation] = field(default_factory=list)
    review: ReviewRule | None = None  # pre-review rules for a photo of it (None: only readable)

    @property
    def form_text(self) -> str:
        """"原件1份" in words a citizen reads at the counter (no spaces: Kivy wraps at spaces and would
        leave the number at the end of one line and 份 on the next)."""
        return f"{FORMS.get(self.form, self.form)}{self.copies}份"


@dataclass
class Step:
    title: str
    text: str
    picture: str = ""


@dataclass
class Faq:
    q: str
    a: str



@dataclass
class TimeLimit:
    legal_days: int | None = None     # 法定办结时限 (working days)
    promised_days: int | None = None  # 承诺办结时限; 0 = 即办 (done while you wait)

    @property
    def text(self) -> str:
        if self.promised_days == 0:
            return "当场办好"
        if self.promised_days:
            return f"{self.promised_days} 个工作日内办好"
        return "以窗口告知为准"


@dataclass
class Matter:
    """One government service matter with its plain-language guide."""
    code: str
    name: str
    department: str                 # department id (Pack.departments)
    summary: str                    # 你需要做什么: one plain sentence
    levels: list[str]
    submit_at_terminal: bool = False
    aliases: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    kind: str = "公共服务"
    implementing_body: str = ""
    legal_basis: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    time_limit: TimeLimit = field(default_factory=TimeLimit)
    fee: str = "免费"
    place: str = ""
    hours: str = ""
    phone_ask: str = ""
    phone_complain: str = "12345"
    delivery: list[str] = field(default_factory=list)
    visits: int = 1
    faq: list[Faq] = field(default_factory=list)
    case: Case | None = None
    glossary: dict[str, str] = field(default_factory=dict)
    video: Video | None = None      # 真人讲解 (kiosk/guides/media.py)
    popularity: int = 0             # 0..100, breaks ties in search and orders browse lists
    plain_name: str = ""            # what a long official name means, in everyday words (shown under it)
    source: str = ""                # file the matter came from (for lint messages)

    def offered_at(self, level: str) -> bool:
        """Whether a terminal at this level (city/county/township/village) offers the matter."""
        return level in self.levels

    @property
    def plain_line(self) -> str:
        """"简单说：…", what a long official name means (shown under it wherever it is listed), else ""."""
        return f"简单说：{self.plain_name}" if self.plain_name else ""

    @property
    def hint(self) -> str:
        """The line under the name in a list: the plain name (of a long official name), then the summary."""
        return f"{self.plain_line}\n{self.summary}" if self.plain_name else self.summary


@dataclass
class Theme:
    """一件事: several matters done together with one set of materials and one form."""
    id: str
    name: str
    summary: str
    matters: list[str]              # matter codes, in the order they are handled
    form: str = ""                  # picture of the combined application form
    picture: str = ""
    aliases: list[str] = field(default_factory=list)
    submit_at_terminal: bool = False  # 我要办 offers the whole theme: one set of materials, one form, one 办件
    source: str = ""


@dataclass
class Department:
    id: str
    name: str
    short: str = ""


@dataclass
class Pack:
    """A whole content pack; `matters` keeps file order, `by_code` finds one quickly."""
    root: Path
    id: str
    title: str
    version: str
    region: str = ""
    notice: str = ""
    departments: dict[str, Department] = field(default_factory=dict)
    matters: list[Matter] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)
    jargon: list[str] = field(default_factory=list)
    max_sentence: int = 30
    long_name: int = 8              # official names longer than this (characters) need a plain_name
    policies: list = field(default_factory=list)   # 免申即享 (kiosk.guides.policies.Policy)
    places: list = field(default_factory=list)     # 政务服务地图 (kiosk.guides.places.Place)
    agencies: list = field(default_factory=list)   # 中介超市 (kiosk.guides.agencies.Agency)

    def __post_init__(self) -> None:
        self.by_code = {m.code: m for m in self.matters}

    def matter(self, code: str) -> Matter:
        return self.by_code[code]

    def for_level(self, level: str) -> "Pack":
        """The pack as a terminal at `level` sees it: matters it does not offer are gone, and so
        are themes left with no matter."""
        matters = [m for m in self.matters if m.offered_at(level)]
        codes = {m.code for m in matters}
        themes = [t for t in self.themes if any(c in codes for c in t.matters)]
        return Pack(root=self.root, id=self.id, title=self.title, version=self.version,
                    region=self.region, notice=self.notice, departments=self.departments,
                    matters=matters, themes=themes, synonyms=self.synonyms,
                    glossary=self.glossary, jargon=self.jargon, max_sentence=self.max_sentence,
                    long_name=self.long_name, policies=self.policies, places=self.places, agencies=self.agencies)

    def theme_matters(self, theme: Theme) -> list[Matter]:
        return [self.by_code[c] for c in theme.matters if c in self.by_code]

    def theme_materials(self, theme: Theme) -> list[Material]:
        """One set of materials for the whole theme: a material needed by several matters is
        brought once (the largest number of copies wins)."""
        merged: dict[str, Material] = {}
        for m in self.theme_matters(theme):
            for mat in m.materials:
                have = merged.get(mat.id)
                if have is None:
                    merged[mat.id] = mat
                elif mat.copies > have.copies:
                    merged[mat.id] = mat
        return list(merged.values())

    def explain(self, term: str, matter: Matter | None = None) -> str | None:
        """Plain explanation of a jargon word, matter-specific first."""
        if matter and term in matter.glossary:
            return matter.glossary[term]
        return self.glossary.get(term)

    def asset(self, rel: str) -> Path:
        return self.root / rel
