"""Runs the Spark SQL of sql/spark/ in local mode for sql/check_report.py."""

import os
import re

from pyspark.sql import SparkSession

EMPTY_EXPORT_HEADER = "Body,Status,SentDate,Direction,Price,PriceUnit\n"


def statements(text):
    """Split a SQL file into statements: comment lines are dropped, and a statement ends
    with a line that ends in `;`."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [part.strip() for part in re.split(r";\s*$", "\n".join(lines), flags=re.M)
            if part.strip()]


class Runner:
    """A local Spark session with the ua-parser functions and the report's inputs loaded."""

    def __init__(self, sql_folder, functions_path, parameters):
        self.sql_folder = sql_folder
        self.spark = (
            SparkSession.builder.master("local[*]")
            .appName("clicktrail-sql-check")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "4g")
            .getOrCreate())
        # The ua-parser functions are too large for Spark's generated code, so Spark logs the
        # failed compilation at ERROR and runs them interpreted; FATAL hides that noise.
        self.spark.sparkContext.setLogLevel("FATAL")
        self.parameters = dict(parameters)
        scratch = os.path.dirname(functions_path)
        sends_file = self.parameters["sends"]
        if sends_file is None:
            # A Spark view needs a file, so a run without an export reads an empty one.
            sends_file = os.path.join(scratch, "no-export.csv")
            with open(sends_file, "w", encoding="utf-8") as file:
                file.write(EMPTY_EXPORT_HEADER)
        self.parameters["sends_file"] = os.path.abspath(sends_file)
        for name in ("log_root", "catalogue"):
            self.parameters[name] = os.path.abspath(self.parameters[name])
        for name, value in self.parameters.items():
            self.spark.conf.set(name, "" if value is None else str(value))
        self._run_file(functions_path)

    def check_uap_cases(self, cases):
        """Return the uap-core cases whose family the SQL functions get wrong."""
        if not cases:
            return []
        frame = self.spark.createDataFrame(cases, "parser STRING, ua STRING, expected STRING")
        frame.createOrReplaceTempView("uap_cases")
        return [tuple(row) for row in self._run_file(self._path("uap-cases.sql")).collect()]

    def report_tables(self):
        """Return the rows of campaigns.sql, params.sql and days.sql as dictionaries."""
        self._run_file(self._path("inputs.sql"))
        tables = []
        for name in ("campaigns.sql", "params.sql", "days.sql"):
            tables.append([row.asDict() for row in self._run_file(self._path(name)).collect()])
        return tables

    def close(self):
        self.spark.stop()

    def _path(self, name):
        return os.path.join(self.sql_folder, name)

    def _run_file(self, path):
        """Run every statement of a file; return the DataFrame of the last one."""
        with open(path, encoding="utf-8") as file:
            result = None
            for statement in statements(file.read()):
                result = self.spark.sql(statement)
        return result
