// Loads a Cytoscape JSON file with the npm `cytoscape` package (headless) as cy.json() does,
// and prints what it holds: node and edge counts, and a few elements read back.
// Usage: node tests/cytoscape_load.js FILE [NODE_ID] [EDGE_ID]
"use strict";
const fs = require("fs");
const cytoscape = require("cytoscape");

const [file, nodeId, edgeId] = process.argv.slice(2);
const cy = cytoscape({ headless: true });
cy.json(JSON.parse(fs.readFileSync(file, "utf8")));
const pick = (id) => (id && cy.getElementById(id).nonempty() ? cy.getElementById(id).data() : null);
const edge = edgeId ? cy.getElementById(edgeId) : null;
process.stdout.write(
  JSON.stringify({
    nodes: cy.nodes().length,
    edges: cy.edges().length,
    node: pick(nodeId),
    edge: pick(edgeId),
    edgeEnds: edge && edge.nonempty() ? [edge.source().id(), edge.target().id()] : null,
    name: cy.data("name") || null,
  }),
);
