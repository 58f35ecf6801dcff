-- The uap-core test cases (view uap_cases: parser, ua, expected) whose family the generated
-- ua-parser functions get wrong; see sql/duckdb/uap-cases.sql.
WITH families AS (
  SELECT parser, ua, expected,
    CASE parser WHEN 'device' THEN uap_device_family(ua) ELSE uap_browser_family(ua) END
      AS family
  FROM uap_cases
)
SELECT parser, ua, expected, family FROM families WHERE NOT (family <=> expected);
