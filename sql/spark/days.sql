-- days.csv: one row per local day and campaign. Run after inputs.sql; the Spark SQL twin of
-- sql/duckdb/days.sql.

CREATE OR REPLACE TEMPORARY VIEW row_visits AS
SELECT click_id, CAST(local_day AS STRING) AS key_1, campaign AS key_2, campaign
FROM visit_facts;

CREATE OR REPLACE TEMPORARY VIEW row_conversions AS
SELECT CAST(conversion_day AS STRING) AS key_1, campaign AS key_2, campaign, status,
  payout_micros
FROM attributed_conversions;

CREATE OR REPLACE TEMPORARY VIEW row_extras AS
SELECT '' AS key_1, '' AS key_2, '' AS campaign, CAST(NULL AS BIGINT) AS sends,
  CAST(NULL AS DECIMAL(38, 0)) AS sends_cost_micros, CAST(0 AS BIGINT) AS previews,
  CAST(0 AS BIGINT) AS bots WHERE false;

CREATE OR REPLACE TEMPORARY VIEW row_settings AS SELECT false AS with_sends;

SELECT key_1 AS date, key_2 AS campaign, sends, visits, unique_visits, clicks, conversions, conversions_approved, conversions_pending, conversions_declined, revenue, revenue_pending, revenue_declined, cost, profit, roi, sms_ctr, lander_ctr, cr, cr_clicks, epv, epc, cpv, cpc, cpa, previews, bots
FROM metric_cells
ORDER BY key_1, key_2;
