"""Times the DuckDB report SQL of sql/duckdb/ on a report folder, for bench/report.

Usage: duckdb-report.py FOLDER WORKERS. Prints the wall seconds of computing the campaign,
parameter-segment and day tables, after the ua-parser functions are generated and loaded
(which takes the same time for every size and is left out).
"""

import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SQL_FOLDER = os.path.join(ROOT, "sql")
sys.path.insert(0, SQL_FOLDER)

import check_report  # noqa: E402
import engine_duckdb  # noqa: E402


def main(folder, workers):
    logs, catalogue, export = check_report.find_inputs(folder)
    parameters = {
        "log_root": logs, "catalogue": catalogue, "sends": export, "tz": "UTC",
        "from_date": None, "to_date": None, "conversion_day": "visit",
    }
    with tempfile.TemporaryDirectory() as scratch:
        functions = os.path.join(scratch, "uap.sql")
        subprocess.run(
            [sys.executable, os.path.join(SQL_FOLDER, "generate-uap-sql"), "duckdb", functions,
             "/usr/share/uap-core/regexes.yaml"],
            check=True)
        runner = engine_duckdb.Runner(os.path.join(SQL_FOLDER, "duckdb"), functions, parameters)
        runner.connection.execute(f"SET threads = {int(workers)}")
        started = time.monotonic()
        runner.report_tables()
        elapsed = time.monotonic() - started
        runner.close()
    print(f"{elapsed:.2f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
