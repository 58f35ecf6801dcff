-- Reads a log root, the catalogue and the gateway's export into temporary views and applies
-- the join, duplicate and postback rules of `clicktrail report` (docs/metrics.md): the Spark
-- SQL twin of sql/duckdb/inputs.sql, whose comments explain each rule. Spark 4 (temporary SQL
-- functions), run with spark.sql.session.timeZone=UTC.
--
-- Run the output of `sql/generate-uap-sql spark FILE` first: it defines the ua-parser
-- functions that bot detection calls. Parameters use Spark's variable substitution: set them
-- with SET before running this file (sql/engine_spark.py does), an empty value for none:
--
--   SET log_root=SampleLogs/logs;    -- holds clicks/DATE/ and postbacks/DATE/
--   SET catalogue=SampleLogs/catalogue.json;
--   SET sends=SampleLogs/gateway-export.csv.gz;  -- empty without an export
--   SET tz=UTC;                      -- IANA name, as --tz
--   SET from_date=;                  -- YYYY-MM-DD or empty, as --from
--   SET to_date=;                    -- YYYY-MM-DD or empty, as --to
--   SET conversion_day=visit;        -- or postback, as --conversion-day
--
-- Log files must be sound (`clicktrail verify` reports no problem): the CSV reader runs in
-- FAILFAST mode and stops on a line with the wrong number of fields.
--
-- The views that later steps read several times are materialized with CACHE TABLE, as the
-- DuckDB files use temporary tables; the others are plain temporary views.

-- Decodes the log escapes. `\\` becomes U+E000 first, so that `\\t` decodes to a backslash
-- and a `t`; a value that itself contains U+E000 would decode wrongly. (Spark SQL literals
-- read backslash escapes, so '\\' here is one backslash.)
CREATE OR REPLACE TEMPORARY FUNCTION unescape_field(value STRING) RETURNS STRING RETURN
  replace(replace(replace(replace(replace(coalesce(value, ''), '\\\\', '\uE000'),
    '\\t', '\t'), '\\n', '\n'), '\\r', '\r'), '\uE000', '\\');

CREATE OR REPLACE TEMPORARY FUNCTION has_valid_escapes(value STRING) RETURNS BOOLEAN RETURN
  coalesce(value, '') RLIKE '^([^\\\\]|\\\\[\\\\tnr])*$';

-- Percent-decodes as Foundation's removingPercentEncoding: `+` stays a plus sign (it is
-- encoded before url_decode, which would make it a space), and a text with a bad `%`
-- sequence is kept as it is. NOTE: bytes that are not UTF-8 decode to U+FFFD here, while the
-- Swift job keeps such a text undecoded.
CREATE OR REPLACE TEMPORARY FUNCTION percent_decode(text STRING) RETURNS STRING RETURN
  CASE WHEN text RLIKE '^([^%]|%[0-9A-Fa-f]{2})*$'
    THEN coalesce(try_url_decode(replace(text, '+', '%2B')), text) ELSE text END;

CREATE OR REPLACE TEMPORARY FUNCTION to_micros(text STRING) RETURNS DECIMAL(38, 0) RETURN
  CAST(round(CAST(text AS DECIMAL(38, 12)) * 1000000, 0) AS DECIMAL(38, 0));

-- Millionths as an amount with 4 decimals, rounded half away from zero.
CREATE OR REPLACE TEMPORARY FUNCTION money_text(micros DECIMAL(38, 0)) RETURNS STRING RETURN
  CAST(CAST((CASE WHEN micros < 0 THEN -1 ELSE 1 END) * ((abs(micros) + 50) div 100)
    AS DECIMAL(34, 0)) * CAST('0.0001' AS DECIMAL(4, 4)) AS STRING);

-- numerator / denominator with 6 decimals, rounded half away from zero from the exact
-- quotient; NULL when the denominator is 0 or unknown. (signum returns a double in Spark, so
-- the sign is taken with CASE.)
CREATE OR REPLACE TEMPORARY FUNCTION ratio_text(numerator DECIMAL(38, 0),
    denominator DECIMAL(38, 0)) RETURNS STRING RETURN
  CASE WHEN denominator IS NULL OR numerator IS NULL OR denominator = 0 THEN NULL
  ELSE CAST(CAST((CASE WHEN (numerator < 0) <> (denominator < 0) THEN -1 ELSE 1 END)
      * ((2 * abs(numerator) * 1000000 + abs(denominator)) div (2 * abs(denominator)))
      AS DECIMAL(34, 0)) * CAST('0.000001' AS DECIMAL(6, 6)) AS STRING) END;

-- The local date of a Unix-millisecond instant in the report's time zone, by the JVM's tz
-- data (the session time zone is UTC, so from_utc_timestamp gives the local wall time).
CREATE OR REPLACE TEMPORARY FUNCTION local_date(milliseconds BIGINT) RETURNS DATE RETURN
  to_date(from_utc_timestamp(timestamp_millis(milliseconds), '${tz}'));

CREATE OR REPLACE TEMPORARY FUNCTION day_start_ms(day DATE) RETURNS BIGINT RETURN
  unix_millis(to_utc_timestamp(CAST(day AS TIMESTAMP), '${tz}'));

CREATE OR REPLACE TEMPORARY VIEW report_range AS
SELECT
  CASE WHEN from_date IS NULL AND to_date IS NULL THEN NULL
    ELSE coalesce(from_date, DATE '1970-01-01') END AS first_day,
  CASE WHEN from_date IS NULL AND to_date IS NULL THEN NULL
    ELSE coalesce(to_date, DATE '9999-12-31') END AS last_day
FROM (SELECT CAST(nullif('${from_date}', '') AS DATE) AS from_date,
             CAST(nullif('${to_date}', '') AS DATE) AS to_date);

-- MARK: - Catalogue

CREATE OR REPLACE TEMPORARY VIEW catalogue_text
USING text OPTIONS (path '${catalogue}', wholetext 'true');

-- Amounts are read as text, which keeps a JSON number's digits exactly.
CREATE OR REPLACE TEMPORARY VIEW catalogue_document AS
SELECT from_json(value, '
  traffic_sources ARRAY<STRUCT<name: STRING, parameters: ARRAY<STRING>,
    cost_model: STRUCT<type: STRING, value: STRING>>>,
  campaigns ARRAY<STRUCT<key: STRING, source: STRING, attribution_window_days: BIGINT>>,
  offers ARRAY<STRUCT<key: STRING, payout: STRING>>,
  short_links ARRAY<STRUCT<code: STRING, campaign: STRING, params: MAP<STRING, STRING>>>
') AS document
FROM catalogue_text;

CREATE OR REPLACE TEMPORARY VIEW catalogue_sources AS
SELECT source.name AS source, source.cost_model.type AS cost_type,
  coalesce(to_micros(source.cost_model.value), 0) AS cost_value_micros,
  coalesce(source.parameters, array()) AS parameters, source_index
FROM catalogue_document
LATERAL VIEW posexplode(document.traffic_sources) s AS source_index, source;

CREATE OR REPLACE TEMPORARY VIEW report_parameters AS
SELECT name, min(source_index * 1000 + position) AS position
FROM catalogue_sources LATERAL VIEW posexplode(parameters) p AS position, name
GROUP BY name;

CREATE OR REPLACE TEMPORARY VIEW catalogue_campaigns AS
SELECT campaign.key AS campaign, campaign.source AS source,
  coalesce(campaign.attribution_window_days, 30) AS attribution_window_days
FROM catalogue_document LATERAL VIEW explode(document.campaigns) c AS campaign;

CREATE OR REPLACE TEMPORARY VIEW catalogue_offers AS
SELECT offer.key AS offer, to_micros(offer.payout) AS payout_micros
FROM catalogue_document LATERAL VIEW explode(document.offers) o AS offer;

CREATE OR REPLACE TEMPORARY VIEW catalogue_short_links AS
SELECT link.code AS code, link.campaign AS campaign,
  coalesce(link.params, map()) AS params
FROM catalogue_document LATERAL VIEW explode(document.short_links) l AS link;

-- MARK: - Log files

-- quote '' turns quoting off, so a `"` is an ordinary byte; header 'true' skips the header
-- line of every file. Spark reads multi-member gzip files through Hadoop's gzip codec.
CREATE OR REPLACE TEMPORARY VIEW click_files
USING csv OPTIONS (path '${log_root}/clicks/*/*.tsv.gz', sep '\t', header 'true',
  quote '', escape '', inferSchema 'false', mode 'FAILFAST');

CREATE OR REPLACE TEMPORARY VIEW postback_files
USING csv OPTIONS (path '${log_root}/postbacks/*/*.tsv.gz', sep '\t', header 'true',
  quote '', escape '', inferSchema 'false', mode 'FAILFAST');

-- The files a report with a range reads, by the UTC date in their names (see inputs.sql of
-- DuckDB).
CREATE OR REPLACE TEMPORARY VIEW click_lines AS
WITH raw AS (
  SELECT *, input_file_name() AS filename,
    regexp_extract(input_file_name(), '/[a-z]+-([0-9]{4}-[0-9]{2}-[0-9]{2})T[^/]*$', 1)
      AS file_day
  FROM click_files
)
SELECT raw.* FROM raw CROSS JOIN report_range AS r
WHERE r.first_day IS NULL OR file_day = ''
  OR CAST(file_day AS DATE) BETWEEN date_add(r.first_day, -1) AND date_add(r.last_day, 1);

CREATE OR REPLACE TEMPORARY VIEW postback_lines AS
WITH raw AS (
  SELECT *, input_file_name() AS filename,
    regexp_extract(input_file_name(), '/[a-z]+-([0-9]{4}-[0-9]{2}-[0-9]{2})T[^/]*$', 1)
      AS file_day
  FROM postback_files
),
longest_window AS (
  SELECT coalesce(max(attribution_window_days), 30) AS days FROM catalogue_campaigns
)
SELECT raw.* FROM raw CROSS JOIN report_range AS r CROSS JOIN longest_window AS w
WHERE r.first_day IS NULL OR file_day = ''
  OR CAST(file_day AS DATE)
    BETWEEN date_add(r.first_day, -1) AND date_add(r.last_day, CAST(w.days + 1 AS INT));

CACHE TABLE click_events AS
SELECT
  CAST(ts AS BIGINT) AS ts, event, click_id,
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
WHERE coalesce(ts, '') RLIKE '^[0-9]{1,15}$'
  AND event IN ('visit', 'click', 'preview')
  AND coalesce(click_id, '') RLIKE '^[A-Za-z0-9_-]{1,64}$'
  AND has_valid_escapes(campaign) AND has_valid_escapes(source)
  AND has_valid_escapes(lander) AND has_valid_escapes(offer)
  AND has_valid_escapes(params) AND has_valid_escapes(visitor)
  AND has_valid_escapes(ip) AND has_valid_escapes(ua) AND has_valid_escapes(referrer);

CACHE TABLE postback_events AS
SELECT
  CAST(ts AS BIGINT) AS ts,
  unescape_field(click_id) AS click_id,
  unescape_field(txid) AS txid,
  status,
  CASE WHEN payout IS NULL THEN NULL ELSE to_micros(payout) END AS payout_micros,
  accepted = 'true' AS accepted,
  filename
FROM postback_lines
WHERE coalesce(ts, '') RLIKE '^[0-9]{1,15}$'
  AND accepted IN ('true', 'false')
  AND coalesce(status, '') IN ('', 'approved', 'pending', 'declined')
  AND coalesce(payout, '0') RLIKE '^-?[0-9]+(\\.[0-9]{1,6})?$'
  AND coalesce(currency, 'USD') RLIKE '^[A-Z]{3}$'
  AND CASE WHEN accepted = 'true' THEN status IS NOT NULL AND click_id IS NOT NULL
    ELSE reject_reason IS NOT NULL END
  AND has_valid_escapes(click_id) AND has_valid_escapes(txid)
  AND has_valid_escapes(network) AND has_valid_escapes(reject_reason)
  AND has_valid_escapes(ip) AND has_valid_escapes(params);

-- MARK: - Visits and bots

-- NOTE: this list must stay equal to UAPDeviceClassifier.automatedClients in
-- Sources/ClicktrailCLI/ReportClassifiers.swift.
CREATE OR REPLACE TEMPORARY VIEW automated_clients AS
SELECT explode(array(
  'curl', 'Wget', 'Python Requests', 'Python-urllib', 'Go-http-client', 'Java',
  'Apache-HttpClient', 'libwww-perl', 'PostmanRuntime', 'okhttp', 'HeadlessChrome',
  'PhantomJS', 'aiohttp', 'axios', 'node-fetch')) AS browser_family;

-- One visit per click ID: the earliest, ties broken by path, then by content. NOTE: the
-- Swift job breaks a tie within one file by line order, which Spark does not expose.
CREATE OR REPLACE TEMPORARY VIEW first_visits AS
SELECT ts, click_id, campaign, source, lander, offer, params, visitor, ip, ua FROM (
  SELECT *, row_number() OVER (
    PARTITION BY click_id ORDER BY ts, filename, campaign, source, lander, offer, params,
      visitor, ip, ua) AS visit_rank
  FROM click_events WHERE event = 'visit')
WHERE visit_rank = 1;

CREATE OR REPLACE TEMPORARY VIEW visits_in_range AS
SELECT v.*, local_date(v.ts) AS local_day
FROM first_visits AS v CROSS JOIN report_range AS r
WHERE r.first_day IS NULL OR local_date(v.ts) BETWEEN r.first_day AND r.last_day;

-- uap_device_family and uap_browser_family come from sql/generate-uap-sql: the family of the
-- first uap-core rule that matches, trimmed, "Other" when none does. Java's regex engine runs
-- uap-core's regexes unchanged.
CACHE TABLE agent_classes AS
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

CREATE OR REPLACE TEMPORARY VIEW click_summaries AS
SELECT click_id, count(*) AS clicks, max_by(offer, struct(ts, filename)) AS last_offer
FROM click_events WHERE event = 'click'
GROUP BY click_id;

CACHE TABLE visit_facts AS
SELECT
  v.click_id, v.ts, v.local_day, v.campaign, v.lander, v.params,
  CASE WHEN v.source <> '' THEN v.source ELSE coalesce(c.source, '') END AS row_source,
  CASE WHEN v.lander = '' THEN 1 ELSE coalesce(s.clicks, 0) END AS clicks,
  CASE WHEN s.click_id IS NULL THEN v.offer ELSE s.last_offer END AS offer,
  CASE WHEN v.visitor <> '' THEN v.visitor ELSE concat(v.ip, '|', v.ua) END AS visitor_key
FROM visits_in_range AS v
JOIN agent_classes AS a ON a.ua = v.ua AND NOT a.is_bot
LEFT JOIN click_summaries AS s ON s.click_id = v.click_id
LEFT JOIN catalogue_campaigns AS c ON c.campaign = v.campaign;

CACHE TABLE visit_parameters AS
WITH pairs AS (
  SELECT f.click_id, p.pair, p.position
  FROM visit_facts AS f LATERAL VIEW posexplode(split(f.params, '&')) p AS position, pair
  WHERE p.pair <> ''
),
decoded AS (
  SELECT click_id, position,
    percent_decode(split_part(pair, '=', 1)) AS name,
    percent_decode(CASE WHEN instr(pair, '=') > 0
      THEN substring(pair, instr(pair, '=') + 1) ELSE '' END) AS value
  FROM pairs
),
first_pairs AS (
  SELECT click_id, name, min_by(value, position) AS value FROM decoded GROUP BY click_id, name
)
SELECT f.click_id, p.name AS parameter, coalesce(nullif(fp.value, ''), '(none)') AS value
FROM visit_facts AS f CROSS JOIN report_parameters AS p
LEFT JOIN first_pairs AS fp ON fp.click_id = f.click_id AND fp.name = p.name;

CREATE OR REPLACE TEMPORARY VIEW bots_by_campaign AS
SELECT v.campaign, count(*) AS bots
FROM visits_in_range AS v JOIN agent_classes AS a ON a.ua = v.ua AND a.is_bot
GROUP BY v.campaign;

CREATE OR REPLACE TEMPORARY VIEW previews_by_campaign AS
SELECT e.campaign, count(*) AS previews
FROM click_events AS e CROSS JOIN report_range AS r
WHERE e.event = 'preview'
  AND (r.first_day IS NULL
    OR local_date(e.ts div 900000 * 900000) BETWEEN r.first_day AND r.last_day)
GROUP BY e.campaign;

-- MARK: - Conversions

-- See sql/duckdb/inputs.sql: the status is that of the last postback in time order, the
-- payout the last one carried by a postback whose status differs from the one before it.
-- NOTE: postbacks of one conversion in the same millisecond and file are ordered by status.
CACHE TABLE conversions AS
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
  max_by(status, position) AS status,
  max_by(payout_micros, position) FILTER (WHERE payout_micros IS NOT NULL) AS payout_micros,
  min(ts) AS first_ts,
  max(ts) AS last_ts
FROM effective
GROUP BY click_id, txid;

CACHE TABLE attributed_conversions AS
SELECT
  f.click_id, f.campaign, f.row_source, f.local_day, c.status,
  CASE WHEN '${conversion_day}' = 'postback' THEN local_date(c.last_ts)
    ELSE f.local_day END AS conversion_day,
  coalesce(c.payout_micros, o.payout_micros, 0) AS payout_micros
FROM conversions AS c
JOIN visit_facts AS f ON f.click_id = c.click_id
LEFT JOIN catalogue_campaigns AS cc ON cc.campaign = f.campaign
LEFT JOIN catalogue_offers AS o ON o.offer = f.offer
WHERE c.first_ts - f.ts <= coalesce(cc.attribution_window_days, 30) * 86400000;

-- MARK: - Sends

-- Delivered messages and their price per campaign and short link from the Twilio export; see
-- sql/duckdb/inputs.sql. Without an export the run points `sends` at an empty CSV with the
-- export's header (sql/engine_spark.py writes it), since a Spark view needs a file.
CREATE OR REPLACE TEMPORARY VIEW export_rows
USING csv OPTIONS (path '${sends_file}', header 'true', quote '"', escape '"',
  multiLine 'true', inferSchema 'false');

CACHE TABLE sends_by_link AS
WITH messages AS (
  SELECT
    regexp_extract(Body, 'https?://[^/ ]+/([A-Za-z0-9]+)', 1) AS code,
    lower(trim(Status)) AS status,
    abs(CAST(coalesce(nullif(trim(Price), ''), '0') AS DECIMAL(38, 12))) AS price,
    CAST(trim(SentDate) AS TIMESTAMP) AS sent_at
  FROM export_rows
  WHERE NOT startswith(lower(coalesce(Direction, '')), 'inbound')
)
SELECT l.campaign, l.code, first(l.params) AS params,
  count_if(m.status = 'delivered') AS delivered,
  CAST(round(coalesce(sum(m.price) FILTER (WHERE m.status = 'delivered'), 0) * 1000000, 0)
    AS DECIMAL(38, 0)) AS delivered_cost_micros
FROM messages AS m
JOIN catalogue_short_links AS l ON l.code = m.code
CROSS JOIN report_range AS r
WHERE r.first_day IS NULL
  OR (unix_millis(m.sent_at) >= day_start_ms(r.first_day)
    AND unix_millis(m.sent_at) < day_start_ms(date_add(r.last_day, 1)))
GROUP BY l.campaign, l.code;

-- MARK: - Cost and cells

CREATE OR REPLACE TEMPORARY VIEW campaign_costs AS
SELECT c.campaign, s.cost_type, s.cost_value_micros
FROM catalogue_campaigns AS c JOIN catalogue_sources AS s ON s.source = c.source;

-- The counts of the rows keyed by (key_1, key_2) from the views each report defines:
-- row_visits, row_conversions, row_extras and row_settings (with_sends: whether a row without
-- messages has 0 sends rather than an empty cell). Spark resolves these names when a report
-- queries metric_cells, so each report's own views are used.
CREATE OR REPLACE TEMPORARY VIEW row_visits AS
SELECT '' AS click_id, '' AS key_1, '' AS key_2, '' AS campaign WHERE false;
CREATE OR REPLACE TEMPORARY VIEW row_conversions AS
SELECT '' AS key_1, '' AS key_2, '' AS campaign, '' AS status,
  CAST(0 AS DECIMAL(38, 0)) AS payout_micros WHERE false;
CREATE OR REPLACE TEMPORARY VIEW row_extras AS
SELECT '' AS key_1, '' AS key_2, '' AS campaign, CAST(0 AS BIGINT) AS sends,
  CAST(0 AS DECIMAL(38, 0)) AS sends_cost_micros, CAST(0 AS BIGINT) AS previews,
  CAST(0 AS BIGINT) AS bots WHERE false;
CREATE OR REPLACE TEMPORARY VIEW row_settings AS SELECT false AS with_sends;

CREATE OR REPLACE TEMPORARY VIEW row_counts AS
WITH visit_counts AS (
  SELECT rv.key_1, rv.key_2, rv.campaign, count(*) AS visits,
    count(DISTINCT concat(CAST(f.local_day AS STRING), f.visitor_key)) AS unique_visits,
    sum(f.clicks) AS clicks
  FROM row_visits AS rv JOIN visit_facts AS f ON f.click_id = rv.click_id
  GROUP BY rv.key_1, rv.key_2, rv.campaign
),
conversion_counts AS (
  SELECT key_1, key_2, campaign,
    count_if(status = 'approved') AS conversions_approved,
    count_if(status = 'pending') AS conversions_pending,
    count_if(status = 'declined') AS conversions_declined,
    coalesce(sum(payout_micros) FILTER (WHERE status = 'approved'), 0)
      AS revenue_approved_micros,
    coalesce(sum(payout_micros) FILTER (WHERE status = 'pending'), 0)
      AS revenue_pending_micros,
    coalesce(sum(payout_micros) FILTER (WHERE status = 'declined'), 0)
      AS revenue_declined_micros
  FROM row_conversions
  GROUP BY key_1, key_2, campaign
),
extra_counts AS (
  SELECT key_1, key_2, campaign, sum(sends) AS sends,
    sum(sends_cost_micros) AS sends_cost_micros, sum(previews) AS previews,
    sum(bots) AS bots
  FROM row_extras
  GROUP BY key_1, key_2, campaign
),
row_keys AS (
  SELECT key_1, key_2, campaign FROM visit_counts
  UNION SELECT key_1, key_2, campaign FROM conversion_counts
  UNION SELECT key_1, key_2, campaign FROM extra_counts
)
SELECT k.key_1, k.key_2, k.campaign,
  CASE WHEN s.with_sends THEN coalesce(e.sends, 0) END AS sends,
  CASE WHEN s.with_sends THEN coalesce(e.sends_cost_micros, 0) END AS sends_cost_micros,
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
CROSS JOIN row_settings AS s
LEFT JOIN visit_counts AS v ON v.key_1 = k.key_1 AND v.key_2 = k.key_2
LEFT JOIN conversion_counts AS c ON c.key_1 = k.key_1 AND c.key_2 = k.key_2
LEFT JOIN extra_counts AS e ON e.key_1 = k.key_1 AND e.key_2 = k.key_2;

-- The cost of a row from its campaign's cost model, in millionths; NULL for a campaign the
-- catalogue lacks and for per_message without sends. cpm and revshare truncate toward zero,
-- as the Swift job does.
CREATE OR REPLACE TEMPORARY VIEW metric_cells AS
WITH costed AS (
  SELECT r.*, r.revenue_approved_micros AS revenue_micros,
    r.conversions_approved + r.conversions_pending AS conversions,
    CASE k.cost_type
      WHEN 'per_message' THEN r.sends_cost_micros
      WHEN 'cpc' THEN r.visits * k.cost_value_micros
      WHEN 'cpm' THEN CAST((r.visits * k.cost_value_micros) div 1000 AS DECIMAL(38, 0))
      WHEN 'cpa' THEN r.conversions_approved * k.cost_value_micros
      WHEN 'revshare' THEN
        (CASE WHEN r.revenue_approved_micros < 0 THEN -1 ELSE 1 END)
          * ((abs(r.revenue_approved_micros) * k.cost_value_micros) div 1000000)
      WHEN 'none' THEN 0
    END AS cost_micros
  FROM row_counts AS r LEFT JOIN campaign_costs AS k ON k.campaign = r.campaign
)
SELECT
  key_1, key_2,
  CAST(sends AS STRING) AS sends,
  CAST(visits AS STRING) AS visits,
  CAST(unique_visits AS STRING) AS unique_visits,
  CAST(clicks AS STRING) AS clicks,
  CAST(conversions AS STRING) AS conversions,
  CAST(conversions_approved AS STRING) AS conversions_approved,
  CAST(conversions_pending AS STRING) AS conversions_pending,
  CAST(conversions_declined AS STRING) AS conversions_declined,
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
  CAST(previews AS STRING) AS previews,
  CAST(bots AS STRING) AS bots
FROM costed;
