-- campaigns.csv: one row per campaign and source. Run after inputs.sql; the Spark SQL twin
-- of sql/duckdb/campaigns.sql, which explains the rows.

CREATE OR REPLACE TEMPORARY VIEW campaign_sources AS
SELECT campaign, source FROM catalogue_campaigns
UNION ALL
SELECT campaign, min(row_source) AS source FROM visit_facts
WHERE row_source <> '' AND campaign NOT IN (SELECT campaign FROM catalogue_campaigns)
GROUP BY campaign;

CREATE OR REPLACE TEMPORARY VIEW row_visits AS
SELECT click_id, campaign AS key_1, row_source AS key_2, campaign FROM visit_facts;

CREATE OR REPLACE TEMPORARY VIEW row_conversions AS
SELECT campaign AS key_1, row_source AS key_2, campaign, status, payout_micros
FROM attributed_conversions;

CREATE OR REPLACE TEMPORARY VIEW row_extras AS
WITH campaign_extras AS (
  SELECT campaign, bots, 0 AS previews, CAST(NULL AS BIGINT) AS sends,
    CAST(NULL AS DECIMAL(38, 0)) AS sends_cost_micros
  FROM bots_by_campaign
  UNION ALL
  SELECT campaign, 0, previews, NULL, NULL FROM previews_by_campaign
  UNION ALL
  SELECT campaign, 0, 0, delivered, delivered_cost_micros FROM sends_by_link
)
SELECT e.campaign AS key_1, coalesce(s.source, '') AS key_2, e.campaign,
  e.sends, e.sends_cost_micros, e.previews, e.bots
FROM campaign_extras AS e LEFT JOIN campaign_sources AS s ON s.campaign = e.campaign;

CREATE OR REPLACE TEMPORARY VIEW row_settings AS SELECT '${sends}' <> '' AS with_sends;

SELECT key_1 AS campaign, key_2 AS source, sends, visits, unique_visits, clicks, conversions, conversions_approved, conversions_pending, conversions_declined, revenue, revenue_pending, revenue_declined, cost, profit, roi, sms_ctr, lander_ctr, cr, cr_clicks, epv, epc, cpv, cpc, cpa, previews, bots
FROM metric_cells
ORDER BY key_1, key_2;
