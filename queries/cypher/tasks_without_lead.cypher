// Tasks that no unit leads, with the number of units that are responsible for them.
MATCH (t:Task)
WHERE NOT EXISTS { MATCH (t)<-[:LEADS]-() }
OPTIONAL MATCH (u)-[:ASSISTS]->(t)
RETURN t.key AS task, t.report AS report, t.label AS label, count(DISTINCT u) AS units
ORDER BY task
