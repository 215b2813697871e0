// How each unit's task load changed from one report to another (tasks held, lead or assist).
// :param before => 'report:78d5a2606a6a4c2e'
// :param after => 'report:07884e50c9f77e9a'
MATCH (u)-[:LEADS|ASSISTS]->(t:Task)
WHERE t.report IN [$before, $after]
WITH u, t.report AS report, count(DISTINCT t) AS n
WITH u, sum(CASE WHEN report = $before THEN n ELSE 0 END) AS before_tasks,
     sum(CASE WHEN report = $after THEN n ELSE 0 END) AS after_tasks
RETURN u.key AS unit, u.label AS label, before_tasks, after_tasks, after_tasks - before_tasks AS change
ORDER BY abs(change) DESC, unit
