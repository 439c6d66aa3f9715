"""免申即享 policies of a content pack (policies/*.yaml): who qualifies, as typed rule-engine rules.

A policy says what a citizen gets (one plain sentence, an amount marked 示例金额 in the demo pack), who
qualifies as a list of conditions — each a rule-engine expression over the typed context below plus the
plain words shown under "为什么我能享受" when it holds — the matter to apply with, and whether it is 免申
(`mode: confirm`, just confirm) or needs an application (`mode: apply`). docs/content-pack.md is the format.

Rules are parsed here, with the context's types, when the pack is read: an unknown symbol, a typo in a
fact's name, a type mismatch (`age == "八十"` is fine for Python, not for the rule) or a rule that does
not say yes or no is a lint error naming the file, the line and the policy. kiosk/benefits.py evaluates them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rule_engine
from rule_engine import DataType

from kiosk.guides.folders import parse_folder
from kiosk.guides.loader import Problem, _Ctx

MODES = {"confirm": "免申即享，确认就能领", "apply": "需要申请"}
PERIODS = {"month": ("每月", 12), "year": ("每年", 1), "once": ("一次性", 1)}

# What the terminal knows of the citizen at the terminal: (type, what it is, in plain words)
PERSON: dict[str, tuple[Any, str]] = {
    "age": (DataType.FLOAT, "年龄"),                 # full years (周岁) from the ID number
    "sex": (DataType.STRING, "性别"),                # 男 | 女, from the ID number
    "region_code": (DataType.STRING, "户口所在地"),  # 6 digits, from the card's address (kiosk/regions.py)
    "rural": (DataType.BOOLEAN, "是不是住在村里"),    # the card's address names a 村
    "card_type": (DataType.STRING, "证件种类"),       # idcard | sscard | resident_code
}
# Facts the platform may hold (一人一档); the terminal asks for exactly the ones the pack's rules use.
FACTS: dict[str, tuple[Any, str]] = {
    "disability_certificate": (DataType.BOOLEAN, "残疾人证"),
    "disability_grade": (DataType.FLOAT, "残疾等级"),
    "low_income": (DataType.BOOLEAN, "低保"),
    "extreme_poverty": (DataType.BOOLEAN, "特困供养"),
    "only_child_parent": (DataType.BOOLEAN, "独生子女父母光荣证"),
    "resident_pension_insured": (DataType.BOOLEAN, "城乡居民养老保险参保"),
    "receiving_pension": (DataType.BOOLEAN, "领养老金的情况"),
    "resident_medical_insured": (DataType.BOOLEAN, "城乡居民医保参保"),
    "chronic_disease": (DataType.BOOLEAN, "医院确诊的慢性病"),
}
FACTS_TYPE = DataType.OBJECT("facts", attributes={k: t for k, (t, _) in FACTS.items()})


class UnknownValue(Exception):
    """A value a rule needs is not known (None); `name` says which (`age`, `facts.low_income`)."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def _resolve(thing: dict, name: str) -> Any:
    value = thing.get(name) if isinstance(thing, dict) else None
    if value is None:
        raise UnknownValue(name)
    return value


def rule_context() -> rule_engine.Context:
    """The typed context every policy rule is parsed and evaluated with: a value that is None stops the
    evaluation with UnknownValue instead of counting as false."""
    types = {k: t for k, (t, _) in PERSON.items()}
    types["facts"] = FACTS_TYPE
    return rule_engine.Context(type_resolver=rule_engine.type_resolver_from_dict(types), resolver=_resolve)


@dataclass
class Condition:
    """One rule and the plain words shown when it holds (为什么我能享受)."""
    rule: str
    because: str
    compiled: Any = field(default=None, repr=False, compare=False)

    def facts(self) -> list[str]:
        """The platform facts the rule reads (known from its text: `facts.<name>`)."""
        return [name for name in FACTS if f"facts.{name}" in self.rule]


@dataclass
class Amount:
    yuan: float
    per: str = "month"         # month | year | once
    example: bool = False      # 示例金额: a made-up figure (the demo pack)

    @property
    def text(self) -> str:
        yuan = int(self.yuan) if float(self.yuan).is_integer() else self.yuan
        words = f"{PERIODS[self.per][0]}{yuan}元"
        return words + ("（示例金额）" if self.example else "")

    @property
    def yearly(self) -> float:
        """What the benefit is worth in a year: the order of the "您可能可以享受" band."""
        return float(self.yuan) * PERIODS[self.per][1]


@dataclass
class Policy:
    id: str
    name: str
    benefit: str                  # what you get, one plain sentence
    mode: str                     # confirm | apply
    conditions: list[Condition]
    amount: Amount | None = None
    matter: str = ""              # the matter to apply with (a matter code of the pack)
    department: str = ""
    source: str = ""

    @property
    def value(self) -> float:
        return self.amount.yearly if self.amount else 0.0

    def facts(self) -> list[str]:
        return sorted({f for c in self.conditions for f in c.facts()})


_POLICY_KEYS = {"id", "name", "benefit", "mode", "amount", "matter", "department", "conditions"}
_AMOUNT_KEYS = {"yuan", "per", "example"}
_CONDITION_KEYS = {"rule", "because"}


def compile_rule(text: str, context: rule_engine.Context | None = None):
    """The parsed rule; raises ValueError with plain words for an author when it is broken."""
    try:
        rule = rule_engine.Rule(text, context=context or rule_context())
    except rule_engine.errors.RuleSyntaxError as exc:
        raise ValueError(f"rule syntax error: {exc.message}") from None
    except rule_engine.errors.ObjectAttributeError as exc:
        raise ValueError(f"unknown fact 'facts.{exc.attribute_name}' (known: {', '.join(FACTS)})") from None
    except rule_engine.errors.SymbolResolutionError as exc:
        raise ValueError(f"unknown symbol '{exc.symbol_name}' (known: {', '.join(PERSON)}, facts.*)") from None
    except rule_engine.errors.EngineError as exc:
        raise ValueError(f"rule type error: {exc.message}") from None
    result = getattr(rule.statement.expression, "result_type", DataType.UNDEFINED)
    if result not in (DataType.BOOLEAN, DataType.UNDEFINED):
        raise ValueError(f"rule should say yes or no, but gives {result.name}")
    return rule


def _policy(c: _Ctx, d: Any, source: str, matter_codes: set[str], departments: set[str]) -> Policy | None:
    if not isinstance(d, dict):
        c.err((), "a policy file should be a mapping")
        return None
    c.unknown(d, (), _POLICY_KEYS)
    pid, name, benefit = c.get(d, (), "id", str), c.get(d, (), "name", str), c.get(d, (), "benefit", str)
    label = f"policy '{pid or source}'"
    mode = c.get(d, (), "mode", str, True, "apply")
    if mode not in MODES:
        c.err(("mode",), f"{label}: mode '{mode}' should be one of {', '.join(MODES)}")
    matter = c.get(d, (), "matter", str, mode == "apply", "")
    if matter and matter not in matter_codes:
        c.err(("matter",), f"{label}: matter {matter} is not in the pack")
    department = c.get(d, (), "department", str, False, "")
    if department and department not in departments:
        c.err(("department",), f"{label}: department '{department}' is not in pack.yaml departments")
    amount = None
    raw = c.get(d, (), "amount", dict, False, None)
    if raw is not None:
        c.unknown(raw, ("amount",), _AMOUNT_KEYS)
        per = c.get(raw, ("amount",), "per", str, False, "month")
        if per not in PERIODS:
            c.err(("amount", "per"), f"{label}: per '{per}' should be one of {', '.join(PERIODS)}")
            per = "month"
        amount = Amount(yuan=c.get(raw, ("amount",), "yuan", (int, float), True, 0), per=per,
                        example=c.get(raw, ("amount",), "example", bool, False, False))
    context = rule_context()
    conditions = []
    listed = c.get(d, (), "conditions", list, True, [])
    for i, cond in enumerate(listed):
        p = ("conditions", i)
        if not isinstance(cond, dict):
            c.err(p, f"{label}: a condition should be a mapping {{rule, because}}")
            continue
        c.unknown(cond, p, _CONDITION_KEYS)
        text, because = c.get(cond, p, "rule", str), c.get(cond, p, "because", str)
        if text is None or because is None:
            continue
        try:
            compiled = compile_rule(text, context)
        except ValueError as exc:
            c.err(p + ("rule",), f"{label}: {exc}")
            continue
        conditions.append(Condition(rule=text, because=because, compiled=compiled))
    if not listed and "conditions" in d:
        c.err(("conditions",), f"{label}: a policy needs at least one condition")
    if pid is None or name is None or benefit is None:
        return None
    return Policy(id=pid, name=name, benefit=benefit, mode=mode, conditions=conditions, amount=amount,
                  matter=matter or "", department=department, source=source)


def parse_policies(root: Path, problems: list[Problem], matter_codes: set[str],
                   departments: set[str]) -> list[Policy]:
    """Every policies/*.yaml of the pack; problems are added to `problems`."""
    return parse_folder(root, "policies", "policy", problems,
                        lambda c, data, file: _policy(c, data, file, matter_codes, departments))
