-- Reads a log root, the catalogue, the gateway's export and the ua-parser patterns table into
-- temporary tables, and applies the join, duplicate and postback rules of `clicktrail
-- report` (docs/metrics.md). campaigns.sql, params.sql and days.sql then only group and
-- format. DuckDB 2.0 with its json and icu extensions (bundled with the Python package).
--
-- Run the output of `sql/generate-uap-sql duckdb FILE` first: it defines the ua-parser
-- functions that bot detection calls. Parameters, set before this file runs (sql/check-duckdb
-- sets them):
--
--   SET VARIABLE log_root = 'SampleLogs/logs';      -- holds clicks/DATE/ and postbacks/DATE/
--   SET VARIABLE catalogue = 'SampleLogs/catalogue.json';
--   SET VARIABLE sends = 'SampleLogs/gateway-export.csv.gz';  -- NULL without an export
--   SET VARIABLE sends_file = 'SampleLogs/gateway-export.csv.gz';  -- the file to read: the
--     export, or without one a CSV holding only the header line
--     Body,Status,SentDate,Direction,Price,PriceUnit (read_csv needs a file with columns)
--   SET VARIABLE tz = 'UTC';                         -- IANA name, as --tz
--   SET VARIABLE from_date = NULL;                   -- DATE or NULL, as --from
--   SET VARIABLE to_date = NULL;                     -- DATE or NULL, as --to
--   SET VARIABLE conversion_day = 'visit';           -- or 'postback', as --conversion-day
--
-- Log files must be sound: `clicktrail verify LOGROOT` reports no problem. The Swift reader
-- keeps the sound members of a damaged file and skips bad lines; read_csv stops with an error
-- instead. Lines that are well formed but hold values the Swift reader rejects (a bad ts,
-- event, click_id, status, payout or currency, or an invalid escape) are left out here too.

SET TimeZone = 'UTC';

-- Amounts are kept as whole millionths (HUGEINT), as the Swift job keeps them, so that sums
-- are exact; these macros round half away from zero only when a cell is written.

-- Decodes the log escapes \\, \t, \n and \r. `\\` becomes U+E000 (a private-use character)
-- first, so that `\\t` decodes to a backslash and a `t`, never to a tab; a value that itself
-- contains U+E000 would decode wrongly (docs/log-format.md).
CREATE OR REPLACE TEMP MACRO unescape_field(value) AS
  replace(replace(replace(replace(replace(coalesce(value, ''), '\\', chr(57344)),
    '\t', chr(9)), '\n', chr(10)), '\r', chr(13)), chr(57344), '\');

-- Whether a raw field holds only valid escapes: a backslash followed by \, t, n or r.
CREATE OR REPLACE TEMP MACRO has_valid_escapes(value) AS
  regexp_full_match(coalesce(value, ''), '([^\\]|\\[\\tnr])*');

-- Percent-decodes a name or value of the params column as Foundation's
-- removingPercentEncoding does: `+` stays a plus sign, and a text with a bad `%` sequence or
-- whose bytes are not UTF-8 is kept as it is.
CREATE OR REPLACE TEMP MACRO percent_decode(text) AS
  CASE WHEN regexp_full_match(text, '([^%]|%[0-9A-Fa-f]{2})*')
    THEN coalesce(try(url_decode(text)), text) ELSE text END;

-- Converts a decimal amount given as text (a JSON number or a log payout) to millionths.
CREATE OR REPLACE TEMP MACRO to_micros(text) AS
  CAST(round(CAST(text AS DECIMAL(38, 12)) * 1000000, 0) AS HUGEINT);

-- Writes millionths as an amount with 4 decimals, rounded half away from zero.
CREATE OR REPLACE TEMP MACRO money_text(micros) AS
  CAST(CAST(sign(micros) * ((abs(micros) + 50) // 100) AS DECIMAL(34, 0))
    * CAST('0.0001' AS DECIMAL(4, 4)) AS VARCHAR);

-- Writes numerator / denominator with 6 decimals, rounded half away from zero from the exact
-- quotient; NULL (an empty cell) when the denominator is 0 or unknown.
CREATE OR REPLACE TEMP MACRO ratio_text(numerator, denominator) AS
  CASE WHEN denominator IS NULL OR numerator IS NULL OR denominator = 0 THEN NULL
  ELSE CAST(CAST(sign(numerator) * sign(denominator)
      * ((2 * abs(CAST(numerator AS HUGEINT)) * 1000000 + abs(denominator))
        // (2 * abs(CAST(denominator AS HUGEINT)))) AS DECIMAL(34, 0))
    * CAST('0.000001' AS DECIMAL(6, 6)) AS VARCHAR) END;

-- The local date of a Unix-millisecond instant in the report's time zone, with the zone's
-- daylight saving rules from DuckDB's ICU time zone data. NOTE: the Swift job takes the UTC
-- offset at the start of each UTC quarter hour and the system's tz database; both agree for
-- every zone whose offset changes on quarter hours, but the two tz databases may differ in
-- version.
CREATE OR REPLACE TEMP MACRO local_date(milliseconds) AS
  CAST(timezone(getvariable('tz'), make_timestamptz(milliseconds * 1000)) AS DATE);

-- The UTC instant, in Unix milliseconds, at which a local day starts.
CREATE OR REPLACE TEMP MACRO day_start_ms(day) AS
  epoch_ms(timezone(getvariable('tz'), CAST(day AS TIMESTAMP)));

-- --from and --to: giving one of them gives the other its default, as the command does.
CREATE OR REPLACE TEMP TABLE report_range AS
SELECT
  CASE WHEN from_date IS NULL AND to_date IS NULL THEN NULL
    ELSE coalesce(from_date, DATE '1970-01-01') END AS first_day,
  CASE WHEN from_date IS NULL AND to_date IS NULL THEN NULL
    ELSE coalesce(to_date, DATE '9999-12-31') END AS last_day
FROM (SELECT CAST(getvariable('from_date') AS DATE) AS from_date,
             CAST(getvariable('to_date') AS DATE) AS to_date);

-- MARK: - Catalogue

CREATE OR REPLACE TEMP TABLE catalogue_document AS
SELECT CAST(content AS JSON) AS document FROM read_text(getvariable('catalogue'));

CREATE OR REPLACE TEMP TABLE catalogue_sources AS
SELECT
  json_extract_string(source, '$.name') AS source,
  json_extract_string(source, '$.cost_model.type') AS cost_type,
  coalesce(to_micros(json_extract_string(source, '$.cost_model.value')), 0) AS cost_value_micros,
  CAST(json_extract(source, '$.parameters') AS VARCHAR[]) AS parameters,
  source_index
FROM (
  SELECT unnest(json_extract(document, '$.traffic_sources[*]')) AS source,
    generate_subscripts(json_extract(document, '$.traffic_sources[*]'), 1) AS source_index
  FROM catalogue_document);

-- The parameter tables: every parameter of every source, in catalogue order, once.
CREATE OR REPLACE TEMP TABLE report_parameters AS
SELECT name, min(source_index * 1000 + position) AS position
FROM (
  SELECT unnest(parameters) AS name, generate_subscripts(parameters, 1) AS position,
    source_index
  FROM catalogue_sources)
GROUP BY name;

CREATE OR REPLACE TEMP TABLE catalogue_campaigns AS
SELECT
  json_extract_string(campaign, '$.key') AS campaign,
  json_extract_string(campaign, '$.source') AS source,
  coalesce(CAST(json_extract_string(campaign, '$.attribution_window_days') AS BIGINT), 30)
    AS attribution_window_days
FROM (SELECT unnest(json_extract(document, '$.campaigns[*]')) AS campaign
      FROM catalogue_document);

CREATE OR REPLACE TEMP TABLE catalogue_offers AS
SELECT
  json_extract_string(offer, '$.key') AS offer,
  to_micros(json_extract_string(offer, '$.payout')) AS payout_micros
FROM (SELECT unnest(json_extract(document, '$.offers[*]')) AS offer FROM catalogue_document);

-- Short links with their campaign and fixed parameter values (not percent-encoded).
CREATE OR REPLACE TEMP TABLE catalogue_short_links AS
SELECT
  json_extract_string(link, '$.code') AS code,
  json_extract_string(link, '$.campaign') AS campaign,
  CAST(json_extract(link, '$.params') AS MAP(VARCHAR, VARCHAR)) AS params
FROM (SELECT unnest(json_extract(document, '$.short_links[*]')) AS link
      FROM catalogue_document);

-- MARK: - Log files

-- Every file under LOGROOT/clicks and LOGROOT/postbacks, with the UTC date in its name. Like
-- the Swift job, a report with a range reads clicks from the day before --from to the day
-- after --to, and postbacks from the day before --from until the longest attribution window
-- has passed after --to; a file whose name has no date is always read.
CREATE OR REPLACE TEMP TABLE click_lines AS
WITH raw AS (
  SELECT *, regexp_extract(filename, '[^/]*$') AS file_name
  FROM read_csv(getvariable('log_root') || '/clicks/*/*.tsv.gz', delim = '\t',
    header = true, quote = '', escape = '', all_varchar = true, filename = true,
    union_by_name = true)
)
SELECT raw.* FROM raw, report_range
WHERE report_range.first_day IS NULL
  OR NOT regexp_matches(file_name, '^[a-z]+-\d{4}-\d{2}-\d{2}T')
  OR CAST(regexp_extract(file_name, '^[a-z]+-(\d{4}-\d{2}-\d{2})T', 1) AS DATE)
    BETWEEN report_range.first_day - 1 AND report_range.last_day + 1;

CREATE OR REPLACE TEMP TABLE postback_lines AS
WITH raw AS (
  SELECT *, regexp_extract(filename, '[^/]*$') AS file_name
  FROM read_csv(getvariable('log_root') || '/postbacks/*/*.tsv.gz', delim = '\t',
    header = true, quote = '', escape = '', all_varchar = true, filename = true,
    union_by_name = true)
),
longest_window AS (
  SELECT coalesce(max(attribution_window_days), 30) AS days FROM catalogue_campaigns
)
SELECT raw.* FROM raw, report_range, longest_window
WHERE report_range.first_day IS NULL
  OR NOT regexp_matches(file_name, '^[a-z]+-\d{4}-\d{2}-\d{2}T')
  OR CAST(regexp_extract(file_name, '^[a-z]+-(\d{4}-\d{2}-\d{2})T', 1) AS DATE)
    BETWEEN report_range.first_day - 1
    AND report_range.last_day + CAST(longest_window.days + 1 AS INTEGER);

-- Click events, unescaped. DuckDB reads an empty field as NULL; unescape_field turns it back
-- into the empty text the Swift reader sees.
CREATE OR REPLACE TEMP TABLE click_events AS
SELECT
  CAST(ts AS BIGINT) AS ts,
  event,
  click_id,
  unescape_field(campaign) AS campaign,
  unescape_field(source) AS source,
  unescape_field(lander) AS lander,
  unescape_field(offer) AS offer,
  unescape_field(params) AS params,
  unescape_field(visitor) AS visitor,
  unescape_field(ip) AS ip,
  unescape_field(ua) AS ua,
  filename
FROM click_lines
WHERE regexp_full_match(coalesce(ts, ''), '[0-9]{1,15}')
  AND event IN ('visit', 'click', 'preview')
  AND regexp_full_match(coalesce(click_id, ''), '[A-Za-z0-9_-]{1,64}')
  AND has_valid_escapes(campaign) AND has_valid_escapes(source)
  AND has_valid_escapes(lander) AND has_valid_escapes(offer)
  AND has_valid_escapes(params) AND has_valid_escapes(visitor)
  AND has_valid_escapes(ip) AND has_valid_escapes(ua) AND has_valid_escapes(referrer);

CREATE OR REPLACE TEMP TABLE postback_events AS
SELECT
  CAST(ts AS BIGINT) AS ts,
  unescape_field(click_id) AS click_id,
  unescape_field(txid) AS txid,
  status,
  CASE WHEN payout IS NULL THEN NULL ELSE to_micros(payout) END AS payout_micros,
  accepted = 'true' AS accepted,
  filename
FROM postback_lines
WHERE regexp_full_match(coalesce(ts, ''), '[0-9]{1,15}')
  AND accepted IN ('true', 'false')
  AND coalesce(status, '') IN ('', 'approved', 'pending', 'declined')
  AND regexp_full_match(coalesce(payout, '0'), '-?[0-9]+(\.[0-9]{1,6})?')
  AND regexp_full_match(coalesce(currency, 'USD'), '[A-Z]{3}')
  AND CASE WHEN accepted = 'true' THEN status IS NOT NULL AND click_id IS NOT NULL
    ELSE reject_reason IS NOT NULL END
  AND has_valid_escapes(click_id) AND has_valid_escapes(txid)
  AND has_valid_escapes(network) AND has_valid_escapes(reject_reason)
  AND has_valid_escapes(ip) AND has_valid_escapes(params);

-- MARK: - Bots

-- NOTE: this list must stay equal to UAPDeviceClassifier.automatedClients in
-- Sources/ClicktrailCLI/ReportClassifiers.swift: browser families of HTTP libraries and tools.
CREATE OR REPLACE TEMP TABLE automated_clients AS
SELECT unnest([
  'curl', 'Wget', 'Python Requests', 'Python-urllib', 'Go-http-client', 'Java',
  'Apache-HttpClient', 'libwww-perl', 'PostmanRuntime', 'okhttp', 'HeadlessChrome',
  'PhantomJS', 'aiohttp', 'axios', 'node-fetch']) AS browser_family;

-- MARK: - Visits

-- One visit per click ID: the earliest, and on a tie the first in path order (the Swift job
-- keeps the first read). NOTE: two visits of one click ID in the same millisecond and file
-- are told apart by their content here, by line order in the Swift job; read_csv has no line
-- number.
CREATE OR REPLACE TEMP TABLE first_visits AS
SELECT * EXCLUDE (visit_rank) FROM (
  SELECT *, row_number() OVER (
    PARTITION BY click_id ORDER BY ts, filename, campaign, source, lander, offer, params,
      visitor, ip, ua) AS visit_rank
  FROM click_events WHERE event = 'visit')
WHERE visit_rank = 1;

CREATE OR REPLACE TEMP TABLE visits_in_range AS
SELECT first_visits.*, local_date(ts) AS local_day
FROM first_visits, report_range
WHERE report_range.first_day IS NULL
  OR local_date(ts) BETWEEN report_range.first_day AND report_range.last_day;

-- Each distinct user agent is classified once, as in the Swift job. uap_device_family and
-- uap_browser_family, which sql/generate-uap-sql writes from Debian's uap-core rules (the
-- file /usr/share/uap-core/regexes.yaml that the Swift job reads), give the family of the
-- first rule that matches, trimmed, and "Other" when empty or when no rule matches. uap-core
-- writes its regexes for RE2-style engines, so DuckDB's RE2 runs them unchanged. A visit is a bot when its device family is Spider or its browser family is an
-- HTTP library or tool.
CREATE OR REPLACE TEMP TABLE agent_classes AS
WITH agents AS (
  SELECT DISTINCT ua FROM visits_in_range
),
families AS (
  SELECT ua, uap_device_family(ua) AS device_family, uap_browser_family(ua) AS browser_family
  FROM agents
)
SELECT ua, device_family, browser_family,
  device_family = 'Spider'
    OR browser_family IN (SELECT browser_family FROM automated_clients) AS is_bot
FROM families;

-- The lander clicks of each click ID: how many, and the offer of the latest (on a tie, the
-- last in path order, as the Swift job merges them).
CREATE OR REPLACE TEMP TABLE click_summaries AS
SELECT click_id, count(*) AS clicks,
  arg_max(offer, (ts, filename)) AS last_offer
FROM click_events WHERE event = 'click'
GROUP BY click_id;

-- Visits that count: in range and not bots, with their clicks, offer, visitor key and
-- source. A visit with no lander (direct linking) is its own click.
CREATE OR REPLACE TEMP TABLE visit_facts AS
SELECT
  v.click_id, v.ts, v.local_day, v.campaign, v.lander, v.params,
  -- The campaign table's source: the logged one, or the catalogue's when none was logged.
  CASE WHEN v.source <> '' THEN v.source ELSE coalesce(c.source, '') END AS row_source,
  CASE WHEN v.lander = '' THEN 1 ELSE coalesce(s.clicks, 0) END AS clicks,
  CASE WHEN s.click_id IS NULL THEN v.offer ELSE s.last_offer END AS offer,
  CASE WHEN v.visitor <> '' THEN v.visitor ELSE v.ip || '|' || v.ua END AS visitor_key
FROM visits_in_range AS v
JOIN agent_classes AS a ON a.ua = v.ua AND NOT a.is_bot
LEFT JOIN click_summaries AS s ON s.click_id = v.click_id
LEFT JOIN catalogue_campaigns AS c ON c.campaign = v.campaign;

-- The value of each report parameter for each visit: the first pair of that name in params,
-- percent-decoded; "(none)" when the visit lacks it or its value is empty.
CREATE OR REPLACE TEMP TABLE visit_parameters AS
WITH pairs AS (
  SELECT click_id, pair, position
  FROM visit_facts, unnest(string_split(params, '&')) WITH ORDINALITY AS p(pair, position)
  WHERE pair <> ''
),
decoded AS (
  SELECT click_id, position,
    percent_decode(split_part(pair, '=', 1)) AS name,
    percent_decode(CASE WHEN strpos(pair, '=') > 0
      THEN substr(pair, strpos(pair, '=') + 1) ELSE '' END) AS value
  FROM pairs
),
first_pairs AS (
  SELECT click_id, name, arg_min(value, position) AS value FROM decoded GROUP BY ALL
)
SELECT f.click_id, p.name AS parameter, coalesce(nullif(fp.value, ''), '(none)') AS value
FROM visit_facts AS f CROSS JOIN report_parameters AS p
LEFT JOIN first_pairs AS fp ON fp.click_id = f.click_id AND fp.name = p.name;

CREATE OR REPLACE TEMP TABLE bots_by_campaign AS
SELECT v.campaign, count(*) AS bots
FROM visits_in_range AS v JOIN agent_classes AS a ON a.ua = v.ua AND a.is_bot
GROUP BY v.campaign;

-- Previews count on the local day of their UTC quarter hour, as the Swift job buckets them.
CREATE OR REPLACE TEMP TABLE previews_by_campaign AS
SELECT campaign, count(*) AS previews
FROM click_events, report_range
WHERE event = 'preview'
  AND (report_range.first_day IS NULL
    OR local_date(ts // 900000 * 900000)
      BETWEEN report_range.first_day AND report_range.last_day)
GROUP BY campaign;

-- MARK: - Conversions

-- Accepted postbacks with the same click ID and transaction ID (empty when none) make one
-- conversion. Taken in time order (ties: path order), each postback either repeats the status
-- the conversion has, and is a duplicate that changes nothing, or sets a new status and, when
-- it carries one, the payout. So the status is that of the last postback, and the payout is
-- the last one carried by a postback whose status differs from the one before it. NOTE: two
-- postbacks of one conversion in the same millisecond and file are ordered by status here
-- and by line in the Swift job.
CREATE OR REPLACE TEMP TABLE conversions AS
WITH ordered AS (
  SELECT click_id, coalesce(txid, '') AS txid, status, payout_micros, ts,
    row_number() OVER conversion_order AS position,
    lag(status) OVER conversion_order AS previous_status
  FROM postback_events
  WHERE accepted
  WINDOW conversion_order AS (PARTITION BY click_id, coalesce(txid, '')
    ORDER BY ts, filename, status)
),
effective AS (
  SELECT * FROM ordered WHERE previous_status IS NULL OR previous_status <> status
)
SELECT click_id, txid,
  arg_max(status, position) AS status,
  arg_max(payout_micros, position) FILTER (WHERE payout_micros IS NOT NULL) AS payout_micros,
  min(ts) AS first_ts,
  max(ts) AS last_ts
FROM effective
GROUP BY click_id, txid;

-- Conversions of counted visits within the campaign's attribution window (30 days for a
-- campaign the catalogue lacks), with the payout: the one sent, or the default payout of the
-- offer of the visit's last click (its own offer for direct linking), or 0 for an unknown
-- offer.
CREATE OR REPLACE TEMP TABLE attributed_conversions AS
SELECT
  f.click_id, f.campaign, f.row_source, f.local_day, c.status,
  CASE WHEN getvariable('conversion_day') = 'postback' THEN local_date(c.last_ts)
    ELSE f.local_day END AS conversion_day,
  coalesce(c.payout_micros, o.payout_micros, 0) AS payout_micros
FROM conversions AS c
JOIN visit_facts AS f ON f.click_id = c.click_id
LEFT JOIN catalogue_campaigns AS cc ON cc.campaign = f.campaign
LEFT JOIN catalogue_offers AS o ON o.offer = f.offer
WHERE c.first_ts - f.ts <= coalesce(cc.attribution_window_days, 30) * 86400000;

-- MARK: - Sends

-- Delivered messages and their price per campaign and short link, from the gateway's Twilio
-- export (docs/sends.md): inbound rows are skipped, the first http(s)://HOST/CODE in Body
-- names the short link, and the absolute Price of delivered messages is their cost. With a
-- range, only messages whose SentDate falls on its days count. The price of each short link's
-- messages is summed exactly and then rounded to millionths, as the Swift job does.
-- NOTE: the aggregated sends format and the export's bad-row rules (currency changes,
-- invalid prices) are not applied here; such rows count as they are.
CREATE OR REPLACE TEMP TABLE sends_by_link AS
WITH export AS (
  SELECT * FROM read_csv(getvariable('sends_file'), header = true, all_varchar = true,
    quote = '"', escape = '"')
),
messages AS (
  SELECT
    regexp_extract(Body, 'https?://[^/ ]+/([A-Za-z0-9]+)', 1) AS code,
    lower(trim(Status)) AS status,
    abs(CAST(coalesce(nullif(trim(Price), ''), '0') AS DECIMAL(38, 12))) AS price,
    CAST(trim(SentDate) AS TIMESTAMPTZ) AS sent_at
  FROM export
  WHERE NOT starts_with(lower(coalesce(Direction, '')), 'inbound')
)
SELECT l.campaign, l.code, l.params,
  count(*) FILTER (WHERE m.status = 'delivered') AS delivered,
  CAST(round(coalesce(sum(m.price) FILTER (WHERE m.status = 'delivered'), 0) * 1000000, 0)
    AS HUGEINT) AS delivered_cost_micros
FROM messages AS m
JOIN catalogue_short_links AS l ON l.code = m.code
CROSS JOIN report_range AS r
WHERE r.first_day IS NULL
  OR (epoch_ms(m.sent_at) >= day_start_ms(r.first_day)
    AND epoch_ms(m.sent_at) < day_start_ms(r.last_day + 1))
GROUP BY l.campaign, l.code, l.params;

-- MARK: - Cost

-- The cost of a row from its campaign's cost model, in millionths; NULL when the campaign is
-- not in the catalogue or, for per_message, when no sends cover the row. cpm and revshare
-- truncate to whole millionths toward zero, as the Swift job's integer arithmetic does.
CREATE OR REPLACE TEMP MACRO row_cost_micros(cost_type, value_micros, visits,
    conversions_approved, revenue_micros, sends_cost_micros) AS
  CASE cost_type
    WHEN 'per_message' THEN sends_cost_micros
    WHEN 'cpc' THEN visits * value_micros
    WHEN 'cpm' THEN visits * value_micros // 1000
    WHEN 'cpa' THEN conversions_approved * value_micros
    WHEN 'revshare' THEN
      sign(revenue_micros) * (abs(revenue_micros) * value_micros // 1000000)
    WHEN 'none' THEN 0
  END;

-- Each campaign's cost model.
CREATE OR REPLACE TEMP TABLE campaign_costs AS
SELECT c.campaign, s.cost_type, s.cost_value_micros
FROM catalogue_campaigns AS c JOIN catalogue_sources AS s ON s.source = c.source;

-- MARK: - Rows

-- Each report file replaces these three views with its own; DuckDB checks the macros below
-- against these empty ones when it creates them.
CREATE OR REPLACE TEMP VIEW row_visits AS
SELECT '' AS click_id, '' AS key_1, '' AS key_2, '' AS campaign WHERE false;
CREATE OR REPLACE TEMP VIEW row_conversions AS
SELECT '' AS key_1, '' AS key_2, '' AS campaign, '' AS status,
  CAST(0 AS HUGEINT) AS payout_micros WHERE false;
CREATE OR REPLACE TEMP VIEW row_extras AS
SELECT '' AS key_1, '' AS key_2, '' AS campaign, CAST(0 AS BIGINT) AS sends,
  CAST(0 AS HUGEINT) AS sends_cost_micros, CAST(0 AS BIGINT) AS previews,
  CAST(0 AS BIGINT) AS bots WHERE false;

-- The counts of the rows keyed by (key_1, key_2), from three views that each report defines:
-- `row_visits` (click_id, key_1, key_2, campaign) puts each visit fact on its row,
-- `row_conversions` (key_1, key_2, campaign, status, payout_micros) each attributed
-- conversion, and `row_extras` (key_1, key_2, campaign, sends, sends_cost_micros, previews,
-- bots) what has no visit. With `with_sends`, the table follows segments and an export was
-- given, so a row without messages has 0 sends rather than an empty cell.
CREATE OR REPLACE TEMP MACRO row_counts(with_sends) AS TABLE
WITH visit_counts AS (
  SELECT rv.key_1, rv.key_2, rv.campaign, count(*) AS visits,
    count(DISTINCT CAST(f.local_day AS VARCHAR) || f.visitor_key) AS unique_visits,
    sum(f.clicks) AS clicks
  FROM row_visits AS rv JOIN visit_facts AS f USING (click_id)
  GROUP BY ALL
),
conversion_counts AS (
  SELECT key_1, key_2, campaign,
    count(*) FILTER (WHERE status = 'approved') AS conversions_approved,
    count(*) FILTER (WHERE status = 'pending') AS conversions_pending,
    count(*) FILTER (WHERE status = 'declined') AS conversions_declined,
    coalesce(sum(payout_micros) FILTER (WHERE status = 'approved'), 0)
      AS revenue_approved_micros,
    coalesce(sum(payout_micros) FILTER (WHERE status = 'pending'), 0)
      AS revenue_pending_micros,
    coalesce(sum(payout_micros) FILTER (WHERE status = 'declined'), 0)
      AS revenue_declined_micros
  FROM row_conversions
  GROUP BY ALL
),
extra_counts AS (
  SELECT key_1, key_2, campaign, sum(sends) AS sends,
    sum(sends_cost_micros) AS sends_cost_micros, sum(previews) AS previews,
    sum(bots) AS bots
  FROM row_extras
  GROUP BY ALL
),
row_keys AS (
  SELECT key_1, key_2, campaign FROM visit_counts
  UNION SELECT key_1, key_2, campaign FROM conversion_counts
  UNION SELECT key_1, key_2, campaign FROM extra_counts
)
SELECT k.key_1, k.key_2, k.campaign,
  CASE WHEN with_sends THEN coalesce(e.sends, 0) END AS sends,
  CASE WHEN with_sends THEN coalesce(e.sends_cost_micros, 0) END AS sends_cost_micros,
  coalesce(v.visits, 0) AS visits,
  coalesce(v.unique_visits, 0) AS unique_visits,
  coalesce(v.clicks, 0) AS clicks,
  coalesce(c.conversions_approved, 0) AS conversions_approved,
  coalesce(c.conversions_pending, 0) AS conversions_pending,
  coalesce(c.conversions_declined, 0) AS conversions_declined,
  coalesce(c.revenue_approved_micros, 0) AS revenue_approved_micros,
  coalesce(c.revenue_pending_micros, 0) AS revenue_pending_micros,
  coalesce(c.revenue_declined_micros, 0) AS revenue_declined_micros,
  coalesce(e.previews, 0) AS previews,
  coalesce(e.bots, 0) AS bots
FROM row_keys AS k
LEFT JOIN visit_counts AS v USING (key_1, key_2)
LEFT JOIN conversion_counts AS c USING (key_1, key_2)
LEFT JOIN extra_counts AS e USING (key_1, key_2);

-- Turns the counts of row_counts(with_sends) into the report's metric cells, as CSV text in
-- column order, after the row's dimensions key_1 and key_2.
CREATE OR REPLACE TEMP MACRO metric_cells(with_sends) AS TABLE
WITH costed AS (
  SELECT r.*, r.revenue_approved_micros AS revenue_micros,
    r.conversions_approved + r.conversions_pending AS conversions,
    row_cost_micros(k.cost_type, k.cost_value_micros, r.visits, r.conversions_approved,
      r.revenue_approved_micros, r.sends_cost_micros) AS cost_micros
  FROM row_counts(with_sends) AS r LEFT JOIN campaign_costs AS k ON k.campaign = r.campaign
)
SELECT
  key_1, key_2,
  CAST(sends AS VARCHAR) AS sends,
  CAST(visits AS VARCHAR) AS visits,
  CAST(unique_visits AS VARCHAR) AS unique_visits,
  CAST(clicks AS VARCHAR) AS clicks,
  CAST(conversions AS VARCHAR) AS conversions,
  CAST(conversions_approved AS VARCHAR) AS conversions_approved,
  CAST(conversions_pending AS VARCHAR) AS conversions_pending,
  CAST(conversions_declined AS VARCHAR) AS conversions_declined,
  money_text(revenue_micros) AS revenue,
  money_text(revenue_pending_micros) AS revenue_pending,
  money_text(revenue_declined_micros) AS revenue_declined,
  money_text(cost_micros) AS cost,
  money_text(revenue_micros - cost_micros) AS profit,
  ratio_text(revenue_micros - cost_micros, cost_micros) AS roi,
  ratio_text(unique_visits, sends) AS sms_ctr,
  ratio_text(clicks, visits) AS lander_ctr,
  ratio_text(conversions, visits) AS cr,
  ratio_text(conversions, clicks) AS cr_clicks,
  ratio_text(revenue_micros, visits * 1000000) AS epv,
  ratio_text(revenue_micros, clicks * 1000000) AS epc,
  ratio_text(cost_micros, visits * 1000000) AS cpv,
  ratio_text(cost_micros, clicks * 1000000) AS cpc,
  ratio_text(cost_micros, conversions * 1000000) AS cpa,
  CAST(previews AS VARCHAR) AS previews,
  CAST(bots AS VARCHAR) AS bots
FROM costed;
