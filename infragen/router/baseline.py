"""The cheap, explainable first stage: count the components a request names and look for cue words.

It needs nothing beyond the standard library, so routing works when the embedding extra is absent.
Its confidence is high only far from a class boundary; the cascade sends the rest to embeddings.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from infragen.router.lexicon import (
    BUILD_VERBS,
    CHANGE_START,
    CHANGE_WORDS,
    COMPILED_COMPONENTS,
    COMPLEX_CUES,
    DESTRUCTIVE,
    EXISTING_AFTER,
    EXISTING_BEFORE,
    INFO_REQUEST,
    INFRA_TERMS,
    LIST_FILLER,
    LIST_JOINERS,
    LIVE_REFERENCE,
    QUESTION,
)
from infragen.router.route import Route

# Confidence by number of components found: low next to the 2|3 and 5|6 boundaries.
SIZE_CONFIDENCE = {1: 0.85, 2: 0.6, 3: 0.55, 4: 0.65, 5: 0.55, 6: 0.6}
# A request that is nothing but component names is a request for them; only the count is in doubt.
ONLY_COMPONENTS_CONFIDENCE = 0.95


WORD = re.compile(r"[a-z0-9]+")


class Mention(BaseModel):
    """One component kind as a request names it: what matched, and the words around it."""

    kind: str
    surface: str  # the first match's words, lower case ("game servers")
    before: list[str]  # up to two words before it
    after: str  # the word after it ("" at the end)
    existing: bool  # every mention names it as existing context ("our existing prod vpc")
    repeats: int  # how many times the kind is named
    position: float  # where its first mention starts, 0 to 1 through the request


class Signals(BaseModel):
    """What the baseline read in a request; also the structural features of the embedding stage."""

    components: list[str] = Field(default_factory=list)
    complex_cues: list[str] = Field(default_factory=list)
    destructive: bool = False
    question: bool = False
    build_verb: bool = False
    infra_terms: bool = False
    joiners: int = 0  # list joiners (",", "and", "with", ...): how many parts the request strings
    words: int = 0
    only_components: bool = False  # nothing but component names and filler ("a fifo sqs queue")
    # Read for the embedding stage only: the baseline's rules ignore them.
    live_reference: bool = False
    change_words: bool = False
    question_mark: bool = False
    live_action: bool = False  # opens with a change verb and points at something that exists
    info_request: bool = False  # asks for a price, a quota, a comparison, a script ...
    mentions: list[Mention] = Field(default_factory=list)  # per component, for the learned counter

    @property
    def existing(self) -> list[str]:
        """The components named only as existing context."""
        return [m.kind for m in self.mentions if m.existing]

    def as_features(self) -> list[float]:
        """A fixed-length vector for the embedding stage (the baseline itself uses no joiners):
        component count one-hot (0..6+), the flags, then joiners one-hot (0..5+), two scaled
        sizes, the live-resource cues, the count of components to build (named ones less existing
        ones, one-hot) and the information-request cue. One-hot rather than a count, so the
        classifier can learn the 2|3 and 5|6 edges."""
        count = min(len(self.components), 6)
        joiners = min(self.joiners, 5)
        to_build = min(len(self.components) - len(self.existing), 6)
        return (
            [1.0 if count == i else 0.0 for i in range(7)]
            + [
                float(bool(self.complex_cues)),
                float(self.destructive),
                float(self.question),
                float(self.build_verb),
                float(self.infra_terms),
            ]
            + [1.0 if joiners == i else 0.0 for i in range(6)]
            + [min(self.joiners, 8) / 8, min(self.words, 40) / 40]
            + [float(self.live_reference), float(self.change_words), float(self.question_mark)]
            + [float(self.live_action)]
            + [1.0 if to_build == i else 0.0 for i in range(7)]
            + [float(bool(self.existing)), float(self.info_request)]
        )


def read_signals(request: str) -> Signals:
    text = " ".join(request.split())
    live_reference = bool(LIVE_REFERENCE.search(text))
    remaining = text
    mentions = []
    for kind, pattern in COMPILED_COMPONENTS:
        matches = list(pattern.finditer(remaining))
        if matches:
            mentions.append(_mention(kind, matches, remaining))
            remaining = pattern.sub(" ", remaining)
    components = [m.kind for m in mentions]
    return Signals(
        components=components,
        complex_cues=sorted({m.group(0).lower() for m in COMPLEX_CUES.finditer(text)}),
        destructive=bool(DESTRUCTIVE.search(text)),
        question=bool(QUESTION.search(text)),
        build_verb=bool(BUILD_VERBS.search(text)),
        infra_terms=bool(INFRA_TERMS.search(text)),
        joiners=len(LIST_JOINERS.findall(text)),
        words=len(text.split()),
        only_components=bool(components) and not LIST_FILLER.sub(" ", remaining).strip(),
        live_reference=live_reference,
        change_words=bool(CHANGE_WORDS.search(text)),
        question_mark="?" in text,
        live_action=live_reference and bool(CHANGE_START.search(text)),
        info_request=bool(INFO_REQUEST.search(text)),
        mentions=mentions,
    )


def _mention(kind: str, matches: list[re.Match[str]], text: str) -> Mention:
    first = matches[0]
    return Mention(
        kind=kind,
        surface=" ".join(WORD.findall(first.group(0).lower())),
        before=WORD.findall(text[: first.start()].lower())[-2:],
        after=next(iter(WORD.findall(text[first.end() :].lower())), ""),
        existing=all(_names_existing(text, m) for m in matches),
        repeats=len(matches),
        position=first.start() / max(len(text), 1),
    )


def _names_existing(text: str, mention: re.Match[str]) -> bool:
    """Whether a component mention points at something that exists ("our existing prod vpc",
    "the bucket we already have") rather than at something to build."""
    after = text[mention.end() : mention.end() + 30]
    return bool(EXISTING_BEFORE.search(text[: mention.start()]) or EXISTING_AFTER.search(after))


def classify_signals(signals: Signals) -> Route:
    """Turn signals into a route; each branch says in `reason` which rule fired."""
    found = signals.components
    if signals.destructive:
        return _route("out_of_scope", 0.9, "asks to act on live resources, not to build new ones")
    if not found and not signals.infra_terms and not signals.complex_cues:
        return _route("out_of_scope", 0.9, "names no cloud component or infrastructure term")
    if signals.question and not signals.build_verb:
        return _route("out_of_scope", 0.7, "a question, not a request to build infrastructure")
    if signals.complex_cues:
        cues = ", ".join(signals.complex_cues)
        return _route("complex", 0.85, f"complexity language: {cues}")
    if not found:
        return _route("standard", 0.3, "infrastructure terms but no named component")
    size = len(found)
    klass = "simple" if size <= 2 else "standard" if size <= 5 else "complex"
    if signals.only_components:
        return _route(klass, ONLY_COMPONENTS_CONFIDENCE, f"names only {', '.join(found)}")
    confidence = SIZE_CONFIDENCE.get(size, 0.8)
    return _route(klass, confidence, f"{size} component(s): {', '.join(found)}")


def baseline_route(request: str) -> Route:
    return classify_signals(read_signals(request))


def _route(klass: str, confidence: float, reason: str) -> Route:
    return Route.of(klass, confidence, f"baseline: {reason}", "baseline")  # type: ignore[arg-type]
