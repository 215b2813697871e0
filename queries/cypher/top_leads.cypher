// Departments with the most lead tasks.
// :param limit => 10
MATCH (d:Department)-[:LEADS]->(t:Task)
RETURN d.key AS department, d.label AS label, count(DISTINCT t) AS lead_tasks
ORDER BY lead_tasks DESC, department
LIMIT $limit
