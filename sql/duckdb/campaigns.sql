-- campaigns.csv: one row per campaign and source. Run after inputs.sql.
--
-- A visit's row takes the source it logged, or the catalogue's when it logged none. Bots,
-- previews and sends, which have no logged source, go to the catalogue's source of their
-- campaign (for a campaign the catalogue lacks, a source its visits logged).

CREATE OR REPLACE TEMP VIEW campaign_sources AS
SELECT campaign, source FROM catalogue_campaigns
UNION ALL
SELECT campaign, min(row_source) AS source FROM visit_facts
WHERE row_source <> '' AND campaign NOT IN (SELECT campaign FROM catalogue_campaigns)
GROUP BY campaign;

CREATE OR REPLACE TEMP VIEW row_visits AS
SELECT click_id, campaign AS key_1, row_source AS key_2, campaign FROM visit_facts;

CREATE OR REPLACE TEMP VIEW row_conversions AS
SELECT campaign AS key_1, row_source AS key_2, campaign, status, payout_micros
FROM attributed_conversions;

CREATE OR REPLACE TEMP VIEW row_extras AS
WITH campaign_extras AS (
  SELECT campaign, bots, 0 AS previews, NULL AS sends, NULL AS sends_cost_micros
  FROM bots_by_campaign
  UNION ALL
  SELECT campaign, 0, previews, NULL, NULL FROM previews_by_campaign
  UNION ALL
  SELECT campaign, 0, 0, delivered, delivered_cost_micros FROM sends_by_link
)
SELECT e.campaign AS key_1, coalesce(s.source, '') AS key_2, e.campaign,
  e.sends, e.sends_cost_micros, e.previews, e.bots
FROM campaign_extras AS e LEFT JOIN campaign_sources AS s USING (campaign);

SELECT key_1 AS campaign, key_2 AS source, * EXCLUDE (key_1, key_2)
FROM metric_cells(getvariable('sends') IS NOT NULL)
ORDER BY key_1, key_2;
