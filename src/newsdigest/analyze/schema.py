"""JSON Schema (draft 2020-12) of :meth:`newsdigest.analyze.Analysis.to_dict`.

Kept as Python data so it ships with the package; docs/analysis-schema.md
explains each field.
"""

from __future__ import annotations

_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_INT = {"type": "integer", "minimum": 0}
_NUM = {"type": "number"}
_OPT_NUM = {"type": ["number", "null"]}
_BOOL = {"type": "boolean"}


def _obj(**props) -> dict:
    return {"type": "object", "required": sorted(props), "additionalProperties": False, "properties": props}


def _list(item) -> dict:
    return {"type": "array", "items": item}


_DOC_ID = _STR
_SOURCE = _obj(id=_STR, label=_STR, source=_STR, title=_STR, url=_STR, date=_OPT_STR, truncated=_BOOL)
_ENTITY = _obj(
    id={"type": "string", "pattern": "^e[0-9]+$"},
    name=_STR,
    kind={"enum": ["person", "organisation", "place"]},
    aliases=_list(_STR),
    roles=_list(_STR),
    documents=_list(_DOC_ID),
    mentions=_INT,
)
_QUOTE = _obj(
    id={"type": "string", "pattern": "^q[0-9]+$"},
    text=_STR,
    speaker=_OPT_STR,
    speaker_entity=_OPT_STR,
    speaker_kind={"enum": ["person", "organisation", "place", "description", "unknown"]},
    sources=_list(_obj(doc_id=_DOC_ID, sentence_index=_INT, attribution=_STR)),
    speaker_resolved=_BOOL,
)
_FIGURE = _obj(
    id={"type": "string", "pattern": "^f[0-9]+$"},
    text=_STR,
    value=_NUM,
    low=_OPT_NUM,
    high=_OPT_NUM,
    qualifier=_STR,
    unit={"enum": ["count", "money", "quantity", "percent"]},
    counts=_STR,
    noun=_STR,
    event=_STR,
    doc_id=_DOC_ID,
    sentence_index=_INT,
    sentence=_STR,
    speaker=_OPT_STR,
    speaker_entity=_OPT_STR,
    speaker_resolved=_BOOL,
)
_GROUP = _obj(
    id={"type": "string", "pattern": "^g[0-9]+$"},
    label=_STR,
    verdict={"enum": ["agree", "roughly agree", "differ", "different measures", "one source"]},
    note=_STR,
    sources={"type": "integer", "minimum": 1},
    rows={
        **_list(
            _obj(
                doc_ids={**_list(_DOC_ID), "minItems": 1}, statements={**_list(_INT), "minItems": 1}, text=_STR,
                low=_OPT_NUM, high=_OPT_NUM, consistency={"enum": ["one figure", "agree", "roughly agree", "differ"]},
            )
        ),
        "minItems": 1,
    },
    statements={
        **_list(
            _obj(
                doc_id=_DOC_ID, sentence_index=_INT, figures=_list(_STR), text=_STR, low=_OPT_NUM, high=_OPT_NUM,
                nouns=_list(_STR),
            )
        ),
        "minItems": 2,
    },
)
_EVENT = _obj(
    id={"type": "string", "pattern": "^t[0-9]+$"},
    date_text=_STR,
    date={"type": ["string", "null"], "pattern": r"^(\d{4}(-\d{2}(-\d{2})?)?|--\d{2}(-\d{2})?)$"},
    precision={"enum": ["day", "week", "month", "year", "relative"]},
    relative=_BOOL,
    resolved=_BOOL,
    text=_STR,
    entities=_list(_STR),
    sources={**_list(_obj(doc_id=_DOC_ID, sentence_index=_INT, date_text=_STR)), "minItems": 1},
    anchor={"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
)
_POINT = _obj(
    index=_INT,
    text=_STR,
    doc_id=_DOC_ID,
    sentence_index=_INT,
    sources=_list(_obj(doc_id=_DOC_ID, sentence_index=_INT, text=_STR, similarity=_NUM)),
    from_digest=_BOOL,
)
_COVERAGE = _obj(
    doc_id=_DOC_ID,
    sentences=_INT,
    shared=_INT,
    unique=_list(_obj(sentence_index=_INT, text=_STR, similarity=_NUM)),
)

ANALYSIS_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "newsdigest analysis",
    **_obj(
        schema_version={"const": 1},
        max_chars=_INT,
        documents=_list(_SOURCE),
        entities=_list(_ENTITY),
        quotes=_list(_QUOTE),
        figures=_list(_FIGURE),
        figure_groups=_list(_GROUP),
        timeline=_list(_EVENT),
        points=_list(_POINT),
        sources=_list(_COVERAGE),
    ),
}
