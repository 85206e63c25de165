#!/usr/bin/env python3
"""Independent count of CycloneDX JSON relations, for checking osgauge's
Go parser: python3 relations.py FILE...  prints
file components direct transitive unknown own roots(inferred)

Rules (osgauge's, written again here without its code): the root is
metadata.component's bom-ref when it has dependsOn entries; otherwise, if
the graph has any edge, the roots are the components nothing depends on.
Own modules: same Maven group as the metadata component (exact). Depth is
counted from the system with own modules costing nothing; depth <= 1 is
direct, deeper transitive; a component in a graph but unreached is
transitive (a root-less one is a root, so direct); without any edge,
top-level is unknown and nested transitive. The "before" columns are the
old reading: only a root with dependsOn gives a graph.
"""
import json, sys
from collections import deque

def walk(cs, nested=False):
    for c in cs or []:
        yield c, nested
        yield from walk(c.get('components'), True)

def maven_group(purl):
    if not purl or not purl.startswith('pkg:maven/'):
        return None
    path = purl[len('pkg:maven/'):].split('?')[0].split('@')[0]
    return path.rsplit('/', 1)[0] if '/' in path else None

for f in sys.argv[1:]:
    d = json.load(open(f))
    meta = (d.get('metadata') or {}).get('component') or {}
    root = meta.get('bom-ref')
    rgroup = maven_group(meta.get('purl'))
    comps = list(walk(meta.get('components'))) + list(walk(d.get('components')))
    own_parts = len(list(walk(meta.get('components'))))
    adj, incoming = {}, set()
    for dep in d.get('dependencies') or []:
        for t in dep.get('dependsOn') or []:
            t = t['ref'] if isinstance(t, dict) else t
            adj.setdefault(dep['ref'], []).append(t)
            incoming.add(t)
    edges = sum(len(v) for v in adj.values())
    def is_own(i, c):
        return i < own_parts or (rgroup is not None and maven_group(c.get('purl')) == rgroup)
    own_refs = {c.get('bom-ref') for i, (c, _) in enumerate(comps) if is_own(i, c)}
    dist = {}
    inferred = edges > 0 and not adj.get(root)
    q = deque()
    roots = []
    if edges and not inferred:
        dist[root] = 0; q.append(root)
    elif inferred:
        seen = set()
        for c, _ in comps:
            r = c.get('bom-ref')
            if r and r not in incoming and r != root and r not in seen:
                seen.add(r); roots.append(r)
                dist[r] = 0 if r in own_refs else 1
                (q.appendleft if dist[r] == 0 else q.append)(r)
    while q:
        u = q.popleft()
        for v in adj.get(u, []):
            w = dist[u] + (0 if v in own_refs else 1)
            if v not in dist or w < dist[v]:
                dist[v] = w
                (q.appendleft if w == dist[u] else q.append)(v)
    cnt = dict(direct=0, transitive=0, unknown=0, own=0)
    before = dict(direct=0, transitive=0, unknown=0)
    old_graph = bool(adj.get(root))
    for i, (c, nested) in enumerate(comps):
        r = c.get('bom-ref')
        if is_own(i, c):
            rel = 'direct'; cnt['own'] += 1
        elif r in dist:
            rel = 'direct' if dist[r] <= 1 else 'transitive'
        elif inferred and (not r or r not in incoming):
            rel = 'direct'
        elif edges or nested:
            rel = 'transitive'
        else:
            rel = 'unknown'
        cnt[rel] += 1
        if old_graph and r in adj[root]:
            before['direct'] += 1
        elif old_graph or nested:
            before['transitive'] += 1
        else:
            before['unknown'] += 1
    print(f.split('/')[-1], len(comps), 'before', before['direct'], before['transitive'], before['unknown'],
          'after', cnt['direct'], cnt['transitive'], cnt['unknown'], 'own', cnt['own'], 'roots', len(roots))
