-- The uap-core test cases (table uap_cases: parser 'browser' or 'device', ua, expected
-- family) whose family the generated ua-parser functions get wrong. An empty result means
-- that the functions agree with uap-core's own tests, which the Swift classifier passes too.
WITH families AS (
  SELECT parser, ua, expected,
    CASE parser WHEN 'device' THEN uap_device_family(ua) ELSE uap_browser_family(ua) END
      AS family
  FROM uap_cases
)
SELECT parser, ua, expected, family FROM families WHERE family IS DISTINCT FROM expected;
