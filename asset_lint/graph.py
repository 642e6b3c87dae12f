"""Graph: each code location's specs and dependencies -> the asset graph Dagster would build (R3).

Edges live in plain dicts, and the few walks rules need (reachability, cycles, shortest paths) are
written here: networkx would cost ~80 ms to import on every run that checks anything.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from asset_lint.resolve import Project
from asset_lint.resolve.locations import CodeLocation
from asset_lint.resolve.keys import user_string
from asset_lint.resolve.values import Dep, SpecNode, Unknown


@dataclass
class ResolvedDep:
    """A dependency after Dagster's resolution: exact key, same-group re-mapping, or a missing key."""

    dep: Dep
    downstream: SpecNode
    key: Optional[tuple]          # what Dagster links to (None: unknown)
    remapped: bool = False
    by_table: bool = False        # re-mapped by dagster/table_name metadata (R3.3), not by group (R3.2)
    missing: bool = False         # no definition produces it: a value input fails, a Nothing dep is a stub


class AssetGraph:
    """One code location's asset graph: asset keys, with edges upstream -> downstream in `children`."""

    def __init__(self, location: CodeLocation) -> None:
        self.location = location
        self.children: dict = {}     # upstream key -> set of downstream keys
        self.stubs: set = set()
        self.producers: dict = {}
        self.deps: list = []
        for spec in location.specs:
            if spec.key is not None:
                self.producers.setdefault(spec.key, []).append(spec)
                self.children.setdefault(spec.key, set())
        self._unknown_groups = {s.key[-1] for s in location.specs if s.key and s.group is None}
        self._tables: dict = {}
        for spec in location.specs:
            if isinstance(spec.table_name, str) and spec.key is not None:
                self._tables.setdefault(spec.table_name, set()).add(spec.key)
        self._unknown_tables = any(isinstance(s.table_name, Unknown) for s in location.specs)
        for spec in location.specs:
            if spec.key is None:
                continue
            for dep in spec.deps:
                resolved = self._resolve(dep, spec)
                self.deps.append(resolved)
                if resolved.key is not None:
                    if resolved.key not in self.children:
                        self.children[resolved.key] = set()
                        self.stubs.add(resolved.key)
                    self.children[resolved.key].add(spec.key)
        # R3.6: an asset check's target is matched exactly (no re-mapping); a missing one becomes a stub
        self.missing_check_targets = [c.check_target for c in location.checks
                                      if c.check_target is not None and c.check_target.key is not None
                                      and c.check_target.key not in self.producers]

    def edges(self) -> Iterator[tuple]:
        """(upstream, downstream) for every edge, upstream keys in the order they were first seen."""
        return ((u, v) for u, vs in self.children.items() for v in vs)

    def has_cycle(self) -> bool:
        """Kahn's algorithm: whatever cannot be peeled off in topological order sits on or behind a cycle."""
        from collections import Counter
        from itertools import chain
        indegree = Counter(chain.from_iterable(self.children.values()))   # counted in C, not edge by edge
        ready = [k for k in self.children if k not in indegree]
        seen = 0
        while ready:
            key = ready.pop()
            seen += 1
            for v in self.children[key]:
                indegree[v] -= 1
                if indegree[v] == 0:
                    ready.append(v)
        return seen != len(self.children)   # every key a dependency points to has an entry in children

    def _resolve(self, dep: Dep, spec: SpecNode) -> ResolvedDep:
        key = dep.key
        if key is None or dep.uncertain:
            return ResolvedDep(dep, spec, None)
        if key in self.producers:
            return ResolvedDep(dep, spec, key)
        if len(key) == 1:
            if spec.group is None or key[0] in self._unknown_groups:
                return ResolvedDep(dep, spec, None)  # the re-mapping depends on a group we cannot know
            # R3.2: Dagster counts the definition's own outputs among the candidates, then refuses to
            # re-map to one of them
            candidates = {s.key for s in self.location.specs if s.key and s.group == spec.group
                          and s.key[-1] == key[0]}
            own = {s.key for s in self.location.specs if s.definition is spec.definition}
            if len(candidates) == 1 and not candidates & own:  # R3.2: silently re-mapped within the group
                return ResolvedDep(dep, spec, candidates.pop(), remapped=True)
        if dep.table_name is not None:
            matches = self._tables.get(dep.table_name, set()) if isinstance(dep.table_name, str) else set()
            if isinstance(dep.table_name, Unknown) or self._unknown_tables or len(matches) > 1:
                return ResolvedDep(dep, spec, None)  # an unknown table, or Dagster refuses ("Multiple upstream assets")
            if matches:  # R3.3: silently re-mapped to the one asset with that table name
                return ResolvedDep(dep, spec, next(iter(matches)), remapped=True, by_table=True)
        return ResolvedDep(dep, spec, key, missing=True)

    def resolved_at(self, site, via: str) -> Optional[ResolvedDep]:
        """The dependency declared at `site` (a parameter, a deps= entry) as Dagster resolves it."""
        return next((r for r in self.deps if r.dep.site == site and r.dep.via == via), None)

    def produces(self, key: tuple) -> bool:
        """Whether some definition or external declaration in this location has the key."""
        return key in self.producers

    def closest_keys(self, key: tuple, limit: int = 10) -> list:
        """Dagster's own "did you mean" candidates (semantics Appendix A), via indexes, not a full scan."""
        import difflib  # here, not on top: most runs suggest nothing, and every run would pay its import
        if not hasattr(self, "_by_prefix"):
            self._by_prefix: dict = {}
            self._by_name: dict = {}
            for candidate in self.producers:
                self._by_prefix.setdefault(candidate[:-1], []).append(candidate[-1])
                self._by_name.setdefault(candidate[-1], []).append(candidate)
        t_prefix, t_name = key[:-1], key[-1]
        found = {t_prefix + (name,) for name in
                 difflib.get_close_matches(t_name, self._by_prefix.get(t_prefix, []), n=limit, cutoff=0.8)}
        for candidate in self._by_name.get(t_name, []):
            k_prefix = candidate[:-1]
            if difflib.SequenceMatcher(None, " ".join(t_prefix), " ".join(k_prefix)).ratio() >= 0.8 \
                    or ((len(key) > 1 or len(candidate) > 1) and len(set(key) ^ set(candidate)) == 1) \
                    or len(key) == 1:
                found.add(candidate)
        joined_split = tuple("/".join(key).split("/"))
        if joined_split in self.producers:
            found.add(joined_split)
        found.discard(key)
        return sorted(found, key=user_string)[:limit]

    def cycles(self) -> Iterator[list]:
        """For each key on a cycle, the shortest cycle through it (as a key list, first == last)."""
        if not self.has_cycle():
            return
        children = self.children
        parents = predecessors(children)
        for component in sorted(strongly_connected(children), key=sorted):
            members = sorted(component)
            if len(members) == 1 and members[0] not in children[members[0]]:
                continue
            for key in members:
                if key in children[key]:
                    yield [key, key]
                    continue
                best = None
                for successor in sorted(v for v in children[key] if v in component):
                    path = shortest_path(children, parents, component, successor, key)
                    if best is None or len(path) < len(best):
                        best = path
                yield [key, *best]


def reaches(successors: dict, source, target) -> bool:
    """Whether a path of one edge or more leads from source to target (a node reaches itself only
    through a cycle)."""
    stack, seen = [source], {source}
    while stack:
        for nxt in successors.get(stack.pop(), ()):
            if nxt == target:
                return True
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def predecessors(successors: dict) -> dict:
    """node -> its predecessors, in the order the edges are listed."""
    found: dict = {node: [] for node in successors}
    for u, vs in successors.items():
        for v in vs:
            found.setdefault(v, []).append(u)
    return found


def strongly_connected(successors: dict) -> list:
    """The strongly connected components (sets of nodes) of node -> successors (Tarjan's, without recursion)."""
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    components = []
    for root in successors:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors.get(root, ())))]
        while work:
            node, pending = work[-1]
            for nxt in pending:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(successors.get(nxt, ()))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def shortest_path(successors: dict, parents: dict, within: set, source, target) -> list:
    """A shortest path source -> target through nodes of `within`: a search from both ends that
    meets in the middle, taking edges in the order they are listed (as networkx's does, so that
    of several shortest paths the same one is found)."""
    if source == target:
        return [source]
    pred, succ = {source: None}, {target: None}
    forward, reverse = [source], [target]
    meet = None
    while forward and reverse and meet is None:
        if len(forward) <= len(reverse):
            forward, meet = _search_level(forward, successors, within, pred, succ)
        else:
            reverse, meet = _search_level(reverse, parents, within, succ, pred)
    if meet is None:
        raise ValueError(f"no path from {source} to {target}")
    path, node = [], meet
    while node is not None:
        path.append(node)
        node = pred[node]
    path.reverse()
    node = succ[path[-1]]
    while node is not None:
        path.append(node)
        node = succ[node]
    return path


def _search_level(level: list, neighbours: dict, within: set, reached: dict, other: dict) -> tuple:
    """One level of a search from one end: the next level, and the first node the other end reached."""
    found = []
    for v in level:
        for w in neighbours.get(v, ()):
            if w not in within:
                continue
            if w not in reached:
                reached[w] = v
                found.append(w)
            if w in other:
                return found, w
    return found, None


def build_graphs(project: Project) -> list:
    """One AssetGraph per code location, in location order."""
    return [AssetGraph(location) for location in project.locations]
