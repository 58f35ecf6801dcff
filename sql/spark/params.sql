-- param-<name>.csv: one row per parameter, campaign and value; the first column names the
-- table. Run after inputs.sql; the Spark SQL twin of sql/duckdb/params.sql.

CREATE OR REPLACE TEMPORARY VIEW row_visits AS
SELECT p.click_id, f.campaign AS key_1, concat(p.parameter, chr(31), p.value) AS key_2,
  f.campaign
FROM visit_parameters AS p JOIN visit_facts AS f ON f.click_id = p.click_id;

CREATE OR REPLACE TEMPORARY VIEW row_conversions AS
SELECT a.campaign AS key_1, concat(p.parameter, chr(31), p.value) AS key_2, a.campaign,
  a.status, a.payout_micros
FROM attributed_conversions AS a JOIN visit_parameters AS p ON p.click_id = a.click_id;

CREATE OR REPLACE TEMPORARY VIEW row_extras AS
SELECT s.campaign AS key_1,
  concat(p.name, chr(31), coalesce(nullif(s.params[p.name], ''), '(none)')) AS key_2,
  s.campaign, s.delivered AS sends, s.delivered_cost_micros AS sends_cost_micros,
  CAST(0 AS BIGINT) AS previews, CAST(0 AS BIGINT) AS bots
FROM sends_by_link AS s CROSS JOIN report_parameters AS p;

CREATE OR REPLACE TEMPORARY VIEW row_settings AS SELECT '${sends}' <> '' AS with_sends;

SELECT
  split_part(key_2, chr(31), 1) AS parameter,
  key_1 AS campaign,
  substring(key_2, instr(key_2, chr(31)) + 1) AS value,
  sends, visits, unique_visits, clicks, conversions, conversions_approved, conversions_pending, conversions_declined, revenue, revenue_pending, revenue_declined, cost, profit, roi, sms_ctr, lander_ctr, cr, cr_clicks, epv, epc, cpv, cpc, cpa, previews, bots
FROM metric_cells
ORDER BY parameter, campaign, value;
