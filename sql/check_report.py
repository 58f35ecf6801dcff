"""Run the report SQL on a log root in DuckDB or Spark and compare every cell with the CSV
files of a `clicktrail report` run.

sql/check-duckdb and sql/check-spark run this module with the engine's virtualenv:

    python sql/check_report.py duckdb|spark LOGROOT REPORTDIR [--tz ZONE] [--from DATE]
        [--to DATE] [--conversion-day visit|postback] [--regexes REGEXES_YAML]
        [--skip-uap-cases]

LOGROOT is the folder given to `clicktrail report`: it holds `logs/` (with `clicks/DATE/`
and `postbacks/DATE/`), `catalogue.json` and, optionally, `gateway-export.csv.gz` or
`gateway-export.csv`, as SampleLogs/ does. A LOGROOT that has `clicks/` and `postbacks/`
itself is taken as the log folder, with the catalogue and export beside it. The options are
those the report was made with.

Counts and amounts must be equal as text; ratios must be equal once the SQL value is rounded
to the CSV cell's decimals. Exit status: 0 when every cell matches, 1 when some differ (each
is printed as file, row key, column, SQL value and CSV value), 64 on a usage error.
"""

import argparse
import csv
import datetime
import os
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal

SQL_FOLDER = os.path.dirname(os.path.abspath(__file__))
UAP_TESTS = "/usr/share/uap-core/tests"

COUNT_COLUMNS = {
    "sends", "visits", "unique_visits", "clicks", "conversions", "conversions_approved",
    "conversions_pending", "conversions_declined", "previews", "bots",
}
MONEY_COLUMNS = {"revenue", "revenue_pending", "revenue_declined", "cost", "profit"}
RATIO_COLUMNS = {
    "roi", "sms_ctr", "lander_ctr", "cr", "cr_clicks", "epv", "epc", "cpv", "cpc", "cpa",
}


# MARK: - Inputs


def find_inputs(log_root):
    """Return the log folder, catalogue and export (or None) of a LOGROOT."""
    logs = os.path.join(log_root, "logs")
    if not os.path.isdir(logs):
        logs = log_root
    catalogue = None
    export = None
    for folder in (log_root, os.path.dirname(os.path.abspath(logs))):
        candidate = os.path.join(folder, "catalogue.json")
        if catalogue is None and os.path.isfile(candidate):
            catalogue = candidate
        for name in ("gateway-export.csv.gz", "gateway-export.csv"):
            candidate = os.path.join(folder, name)
            if export is None and os.path.isfile(candidate):
                export = candidate
    return logs, catalogue, export


def parse_arguments(arguments):
    parser = argparse.ArgumentParser(prog="check_report.py")
    parser.add_argument("engine", choices=["duckdb", "spark"])
    parser.add_argument("log_root")
    parser.add_argument("report_dir")
    parser.add_argument("--tz", default="UTC")
    parser.add_argument("--from", dest="from_date", type=datetime.date.fromisoformat)
    parser.add_argument("--to", dest="to_date", type=datetime.date.fromisoformat)
    parser.add_argument("--conversion-day", choices=["visit", "postback"], default="visit")
    parser.add_argument("--regexes", default="/usr/share/uap-core/regexes.yaml")
    parser.add_argument(
        "--skip-uap-cases", action="store_true",
        help="skips running the ua-parser functions on uap-core's test cases")
    options = parser.parse_args(arguments)
    for path in (options.log_root, options.report_dir):
        if not os.path.isdir(path):
            parser.exit(64, f"error: {path}: not a folder\n")
    if not os.path.isfile(options.regexes):
        parser.exit(
            64, f"error: {options.regexes}: not found; install Debian's uap-core package\n")
    return options


# MARK: - Comparison


def spreadsheet_text(value):
    """Return a text cell as the report's CSV writer writes it: a leading ' before a cell
    that starts with =, +, -, @, tab or CR."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def cells_match(column, sql_value, csv_value):
    """Return whether a SQL cell matches a CSV cell of `column`."""
    if column in RATIO_COLUMNS and sql_value and csv_value:
        places = len(csv_value.partition(".")[2])
        exponent = Decimal(1).scaleb(-places)
        return Decimal(sql_value).quantize(exponent, rounding=ROUND_HALF_UP) == Decimal(
            csv_value)
    return sql_value == csv_value


def compare_table(file_name, dimensions, sql_rows, report_dir):
    """Compare the SQL rows of one table with REPORTDIR/file_name; return the number of
    cells compared and the differences as printable lines."""
    path = os.path.join(report_dir, file_name)
    if not os.path.isfile(path):
        return 0, [f"{file_name}: missing in {report_dir}, but the SQL has {len(sql_rows)} rows"]
    with open(path, newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        csv_rows = {tuple(row[name] for name in dimensions): row for row in reader}
        header = reader.fieldnames
    metrics = [name for name in header if name not in dimensions]
    sql_by_key = {}
    for row in sql_rows:
        key = tuple(spreadsheet_text(row[name]) for name in dimensions)
        sql_by_key[key] = row
    differences = []
    compared = 0
    for key in sorted(set(csv_rows) | set(sql_by_key)):
        label = ",".join(key)
        if key not in sql_by_key:
            differences.append(f"{file_name}: row {label}: in the CSV only")
            continue
        if key not in csv_rows:
            differences.append(f"{file_name}: row {label}: in the SQL only")
            continue
        for column in metrics:
            sql_value = sql_by_key[key].get(column)
            sql_text = "" if sql_value is None else str(sql_value)
            csv_text = csv_rows[key][column]
            compared += 1
            if not cells_match(column, sql_text, csv_text):
                differences.append(
                    f"{file_name}: row {label}: {column}: SQL {sql_text!r}, CSV {csv_text!r}")
    return compared, differences


def compare_report(tables, report_dir):
    """Compare the campaigns, param-* and days tables; return the number of cells compared
    and the differences."""
    campaigns, params, days = tables
    by_parameter = {}
    for row in params:
        entry = {name: value for name, value in row.items() if name not in ("parameter", "value")}
        entry[row["parameter"]] = row["value"]
        by_parameter.setdefault(row["parameter"], []).append(entry)
    names = set(by_parameter) | {
        name[len("param-"):-len(".csv")]
        for name in os.listdir(report_dir)
        if name.startswith("param-") and name.endswith(".csv")
    }
    checks = [("campaigns.csv", ["campaign", "source"], campaigns)]
    checks += [
        (f"param-{name}.csv", ["campaign", name], by_parameter.get(name, []))
        for name in sorted(names)
    ]
    checks.append(("days.csv", ["date", "campaign"], days))
    cells, differences = 0, []
    for file_name, dimensions, rows in checks:
        compared, found = compare_table(file_name, dimensions, rows, report_dir)
        cells += compared
        differences += found
    return cells, differences


# MARK: - ua-parser conformance


def uap_cases():
    """Return uap-core's browser and device test cases as (parser, header, family), or []
    when the tests are not installed."""
    import yaml

    cases = []
    for parser, name in (("browser", "test_ua.yaml"), ("device", "test_device.yaml")):
        path = os.path.join(UAP_TESTS, name)
        if not os.path.isfile(path):
            return []
        with open(path, encoding="utf-8") as file:
            for case in yaml.safe_load(file)["test_cases"]:
                cases.append((parser, case["user_agent_string"], case["family"]))
    return cases


# MARK: - Main


def main(arguments):
    options = parse_arguments(arguments)
    logs, catalogue, export = find_inputs(options.log_root)
    if catalogue is None:
        print(f"error: no catalogue.json in {options.log_root}", file=sys.stderr)
        return 64
    parameters = {
        "log_root": logs,
        "catalogue": catalogue,
        "sends": export,
        "tz": options.tz,
        "from_date": options.from_date,
        "to_date": options.to_date,
        "conversion_day": options.conversion_day,
    }
    if options.engine == "duckdb":
        import engine_duckdb as engine
    else:
        import engine_spark as engine
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        functions = os.path.join(scratch, "uap.sql")
        subprocess.run(
            [sys.executable, os.path.join(SQL_FOLDER, "generate-uap-sql"), options.engine,
             functions, options.regexes],
            check=True)
        runner = engine.Runner(os.path.join(SQL_FOLDER, options.engine), functions, parameters)
        cases = [] if options.skip_uap_cases else uap_cases()
        wrong = runner.check_uap_cases(cases)
        if not cases and not options.skip_uap_cases:
            print(f"note: {UAP_TESTS} not found; the ua-parser functions were not tested")
        for parser, header, expected, family in wrong[:20]:
            print(f"uap-core {parser} case {header!r}: SQL {family!r}, expected {expected!r}")
        tables = runner.report_tables()
        runner.close()
    cells, differences = compare_report(tables, options.report_dir)
    for line in differences:
        print(line)
    elapsed = time.monotonic() - started
    print(
        f"check-{options.engine}: {len(cases)} uap-core cases, {len(wrong)} wrong; "
        f"{cells} cells compared with {options.report_dir}, {len(differences)} differences "
        f"({elapsed:.0f} s)")
    return 1 if differences or wrong else 0


if __name__ == "__main__":
    sys.path.insert(0, SQL_FOLDER)
    sys.exit(main(sys.argv[1:]))
