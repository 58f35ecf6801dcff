-- days.csv: one row per local day (in the report's time zone) and campaign. Run after
-- inputs.sql.
--
-- Visits count on their local day; conversions on their visit's day, or on the local day of
-- their last postback with conversion_day = 'postback'. The table does not follow segments, so
-- it has no sends, and per-message cost is empty. Bots and previews are not in it.

CREATE OR REPLACE TEMP VIEW row_visits AS
SELECT click_id, CAST(local_day AS VARCHAR) AS key_1, campaign AS key_2, campaign
FROM visit_facts;

CREATE OR REPLACE TEMP VIEW row_conversions AS
SELECT CAST(conversion_day AS VARCHAR) AS key_1, campaign AS key_2, campaign, status,
  payout_micros
FROM attributed_conversions;

CREATE OR REPLACE TEMP VIEW row_extras AS
SELECT '' AS key_1, '' AS key_2, '' AS campaign, CAST(NULL AS BIGINT) AS sends,
  CAST(NULL AS HUGEINT) AS sends_cost_micros, 0 AS previews, 0 AS bots WHERE false;

SELECT key_1 AS date, key_2 AS campaign, * EXCLUDE (key_1, key_2)
FROM metric_cells(false)
ORDER BY key_1, key_2;
