"""The RDF namespaces of govkg and the IRIs minted from graph node keys.

>>> node_iri("dept:鄂州市:发展和改革委员会")
rdflib.term.URIRef('https://w3id.org/govkg/id/dept/鄂州市:发展和改革委员会')
>>> node_iri("section:ab12:一/(一)")
rdflib.term.URIRef('https://w3id.org/govkg/id/section/ab12:一%2F%28一%29')
"""

from __future__ import annotations

import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

GOVKG = Namespace("https://w3id.org/govkg/ontology#")
ID = Namespace("https://w3id.org/govkg/id/")
CV = Namespace("http://data.europa.eu/m8g/")

PREFIXES: dict[str, Namespace] = {
    "govkg": GOVKG,
    "id": ID,
    "org": ORG,
    "cv": CV,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

# ASCII characters kept as they are in an IRI path segment (RFC 3987 iunreserved, plus ':').
_SAFE_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:")


def quote_segment(text: str) -> str:
    """``text`` as one IRI path segment: non-ASCII letters kept, anything else percent-encoded.

    >>> quote_segment("各街办(新区) 1/2")
    '各街办%28新区%29%201%2F2'
    """
    out = []
    for ch in text:
        keep = ch in _SAFE_ASCII or (ord(ch) > 127 and unicodedata.category(ch)[0] not in "ZC")
        out.append(ch if keep else "".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return "".join(out)


def node_iri(key: str) -> URIRef:
    """The IRI of the graph node ``key``: its prefix (``dept``, ``task`` …) becomes a path step."""
    prefix, sep, rest = key.partition(":")
    return ID[f"{quote_segment(prefix)}/{quote_segment(rest)}"] if sep else ID[quote_segment(key)]


def minted_iri(kind: str, *keys: str) -> URIRef:
    """The IRI of a node that only the RDF has (an attribution, a change event), from graph keys.

    >>> minted_iri("attribution", "LEADS", "dept:x:a", "task:y:1")
    rdflib.term.URIRef('https://w3id.org/govkg/id/attribution/LEADS%7Cdept:x:a%7Ctask:y:1')
    """
    return ID[f"{quote_segment(kind)}/{quote_segment('|'.join(keys))}"]
