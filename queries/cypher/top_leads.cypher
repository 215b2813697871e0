// Units (departments and collectives) that lead the most tasks; ties by the tasks they only assist.
// :param limit => 10
MATCH (u)-[r:LEADS|ASSISTS]->(t:Task)
WITH u, t, collect(type(r)) AS roles
WITH u, count(t) AS held, sum(CASE WHEN 'LEADS' IN roles THEN 1 ELSE 0 END) AS lead_tasks
WHERE lead_tasks > 0
RETURN u.key AS unit, u.label AS label, lead_tasks, held - lead_tasks AS assist_tasks
ORDER BY lead_tasks DESC, assist_tasks DESC, unit
LIMIT $limit
