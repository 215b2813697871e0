"""Named questions over the govkg graph, answerable from every store.

networkx (embedded), over a ``govkg.queries.index.GraphIndex`` built once per graph:

- ``govkg.queries.names``: departments and reports named by key, label, alias or short form;
- ``govkg.queries.departments``: tasks by role (1), co-owned tasks (2), collaborators (3), profile (5);
- ``govkg.queries.network``: the collaboration network with measures and a fixed layout (4);
- ``govkg.queries.search``: full-text task search over a jieba inverted index (6);
- ``govkg.queries.overview``: tasks without a lead, top leads, tasks per district (7), targets (8);
- ``govkg.queries.diff``: a department's change between two reports (9).

``govkg.queries.stores`` asks the same questions of RDF (SPARQL) and Neo4j (Cypher).
"""
