// Number of tasks that concern each district.
MATCH (t:Task)-[:CONCERNS]->(x:District)
RETURN x.key AS district, x.label AS label, count(DISTINCT t) AS tasks
ORDER BY tasks DESC, district
