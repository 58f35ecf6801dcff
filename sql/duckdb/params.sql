-- param-<name>.csv: one row per campaign and value of each custom parameter of the
-- catalogue's traffic sources. Run after inputs.sql. The first column, `parameter`, names
-- the table: the rows of param-age.csv are those with parameter = 'age', without that column.
--
-- A visit's value is the first NAME=VALUE pair of that name in its params column,
-- percent-decoded, or "(none)" (see visit_parameters in inputs.sql). Sends follow the
-- parameters that the message's short link fixes. Bots and previews are not in these tables.

CREATE OR REPLACE TEMP VIEW row_visits AS
SELECT p.click_id, f.campaign AS key_1, p.parameter || chr(31) || p.value AS key_2, f.campaign
FROM visit_parameters AS p JOIN visit_facts AS f USING (click_id);

CREATE OR REPLACE TEMP VIEW row_conversions AS
SELECT a.campaign AS key_1, p.parameter || chr(31) || p.value AS key_2, a.campaign, a.status,
  a.payout_micros
FROM attributed_conversions AS a JOIN visit_parameters AS p USING (click_id);

CREATE OR REPLACE TEMP VIEW row_extras AS
SELECT s.campaign AS key_1,
  p.name || chr(31) || coalesce(nullif(s.params[p.name], ''), '(none)') AS key_2,
  s.campaign, s.delivered AS sends, s.delivered_cost_micros AS sends_cost_micros,
  0 AS previews, 0 AS bots
FROM sends_by_link AS s CROSS JOIN report_parameters AS p;

-- key_2 holds the parameter's name and value, split again here.
SELECT
  split_part(key_2, chr(31), 1) AS parameter,
  key_1 AS campaign,
  substr(key_2, strpos(key_2, chr(31)) + 1) AS value,
  * EXCLUDE (key_1, key_2)
FROM metric_cells(getvariable('sends') IS NOT NULL)
ORDER BY parameter, campaign, value;
