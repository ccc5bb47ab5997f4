"""The size of a GraphQL document *as executed*, measured before anything else reads it.

A fragment may be spread many times and may spread other fragments, so a 600-byte document
can stand for millions of fields (`fragment F0 on Query {...F1 ...F1 ...F1 ...F1}`, twelve
levels deep), and a chain of 500 fragments sends every recursive reader of the document
(the depth limiter, graphql-core's validation, the executor) past Python's recursion limit.
Limits that count tokens or aliases in the text see neither. This module expands the
document arithmetically: each fragment's cost is computed once, in dependency order,
without recursion through fragments, so measuring even a hostile document is cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension

MAX_FIELDS = 2_000
"""Fields of the expanded document. Sift's own pages ask for a few dozen."""
MAX_DEPTH = 8
"""Nested fields (fragments add none). Sift's own queries reach 4."""
MAX_FRAGMENT_NESTING = 10
"""Fragments spreading fragments. Sift's own queries use none."""
INTROSPECTION_MAX_DEPTH = 16
"""Nested fields of an introspection query (one whose root asks only `__schema` / `__type`):
GraphiQL's follows `type { ofType { ofType … } }` about 13 deep. The chain is single
objects, so depth costs little there; lists are what multiply, bounded below."""
INTROSPECTION_MAX_LISTS = 3
"""Introspection lists nested in each other (`types { fields { args } }` in GraphiQL's
query). `types { fields { type { fields { type { fields … } } } } }` multiplies by the
schema's size at every level; a fourth level is refused."""
_INTROSPECTION_ROOTS = frozenset({"__schema", "__type", "__typename"})
_INTROSPECTION_LISTS = frozenset(
    {"types", "fields", "args", "interfaces", "possibleTypes", "enumValues", "inputFields"}
    | {"directives"}
)


@dataclass(frozen=True)
class Cost:
    fields: int
    depth: int
    nesting: int = 0
    """How many fragments deep the deepest spread goes."""
    lists: int = 0
    """How many introspection list fields (`types`, `fields`, …) the deepest path nests."""


class QueryTooCostly(Exception):
    """A document over one of the bounds; its message is the one line the client sees."""


def document_cost(document: DocumentNode) -> Cost:
    """The cost of the costliest operation of `document` with every fragment expanded;
    `QueryTooCostly` as soon as a bound is passed (or the fragments form a cycle)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    costs: dict[str, Cost] = {}
    for name in _dependency_order(fragments):
        inner = _selection_cost(fragments[name].selection_set, costs, depth=0)
        costs[name] = Cost(inner.fields, inner.depth, inner.nesting + 1, inner.lists)
        _check_size(costs[name])  # depth is judged per operation: it depends on where it is spread
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    worst = Cost(0, 0)
    for operation in operations:
        cost = _selection_cost(operation.selection_set, costs, depth=0)
        _check_size(cost)
        _check_depth(cost, introspection=_introspection(operation))
        worst = max(worst, cost, key=lambda c: c.fields)
    return worst


def _introspection(operation: OperationDefinitionNode) -> bool:
    """The operation asks only about the schema (as GraphiQL does when it opens)."""
    return all(
        isinstance(s, FieldNode) and s.name.value in _INTROSPECTION_ROOTS
        for s in operation.selection_set.selections
    )


def _check_size(cost: Cost) -> None:
    if cost.fields > MAX_FIELDS:
        raise QueryTooCostly(
            f"the query asks for more than {MAX_FIELDS} fields once its fragments are expanded"
        )
    if cost.nesting > MAX_FRAGMENT_NESTING:
        raise QueryTooCostly(f"fragments spread fragments more than {MAX_FRAGMENT_NESTING} deep")


def _check_depth(cost: Cost, *, introspection: bool) -> None:
    limit = INTROSPECTION_MAX_DEPTH if introspection else MAX_DEPTH
    if cost.depth > limit:
        raise QueryTooCostly(f"the query nests fields more than {limit} deep")
    if introspection and cost.lists > INTROSPECTION_MAX_LISTS:
        raise QueryTooCostly(
            f"the query nests schema lists more than {INTROSPECTION_MAX_LISTS} deep"
        )


def _selection_cost(
    selection_set: SelectionSetNode | None, fragments: dict[str, Cost], *, depth: int
) -> Cost:
    """Fields, depth, fragment nesting and introspection list nesting of one selection set;
    fragments are looked up in `fragments` (already costed), so recursion follows field
    nesting only, and stops as soon as it passes the deepest bound any query may reach."""
    if selection_set is None:
        return Cost(0, 0)
    if depth > max(MAX_DEPTH, INTROSPECTION_MAX_DEPTH):
        raise QueryTooCostly(f"the query nests fields more than {MAX_DEPTH} deep")
    fields = deepest = nesting = lists = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            inner = _selection_cost(selection.selection_set, fragments, depth=depth + 1)
            fields, deepest = fields + 1 + inner.fields, max(deepest, 1 + inner.depth)
            is_list = selection.name.value in _INTROSPECTION_LISTS
            lists = max(lists, inner.lists + is_list)
        else:
            if isinstance(selection, FragmentSpreadNode):
                # An unknown fragment costs nothing here; validation then names it.
                inner = fragments.get(selection.name.value, Cost(0, 0))
            elif isinstance(selection, InlineFragmentNode):
                inner = _selection_cost(selection.selection_set, fragments, depth=depth)
            else:
                continue
            fields, deepest = fields + inner.fields, max(deepest, inner.depth)
            lists = max(lists, inner.lists)
        nesting = max(nesting, inner.nesting)
        if fields > MAX_FIELDS:
            break
    return Cost(fields, deepest, nesting, lists)


def _dependency_order(fragments: dict[str, FragmentDefinitionNode]) -> list[str]:
    """Fragment names, each after every fragment it spreads (an iterative depth-first
    search, so a chain of any length cannot exhaust the stack); a cycle is refused."""
    order: list[str] = []
    state: dict[str, str] = {}  # "open" while on the stack, "done" once ordered
    for root in fragments:
        if root in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, _spreads(fragments[root]))]
        state[root] = "open"
        while stack:
            name, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                state[name] = "done"
                order.append(name)
            elif child not in fragments or state.get(child) == "done":
                continue
            elif state.get(child) == "open":
                raise QueryTooCostly(f"fragment {child!r} spreads itself")
            else:
                state[child] = "open"
                stack.append((child, _spreads(fragments[child])))
    return order


def _spreads(fragment: FragmentDefinitionNode) -> Iterator[str]:
    """Names of the fragments spread anywhere inside `fragment` (without recursion)."""
    pending: list[SelectionSetNode | None] = [fragment.selection_set]
    while pending:
        selection_set = pending.pop()
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if isinstance(selection, FragmentSpreadNode):
                yield selection.name.value
            elif isinstance(selection, FieldNode | InlineFragmentNode):
                pending.append(selection.selection_set)


class QueryCostLimiter(SchemaExtension):
    """Refuses a document over the bounds before validation, which (like the executor)
    walks fragments recursively and would itself be the slow part."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document: Any = context.graphql_document
        if document is not None:
            try:
                document_cost(document)
            except QueryTooCostly as refused:
                context.pre_execution_errors = [GraphQLError(str(refused))]
        yield
