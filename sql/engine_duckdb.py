"""Runs the DuckDB report SQL (sql/duckdb/) for sql/check_report.py."""

import os

import duckdb

EMPTY_EXPORT_HEADER = "Body,Status,SentDate,Direction,Price,PriceUnit\n"


class Runner:
    """A DuckDB connection with the ua-parser functions and the report's inputs loaded."""

    def __init__(self, sql_folder, functions_path, parameters):
        self.sql_folder = sql_folder
        self.connection = duckdb.connect()
        with open(functions_path, encoding="utf-8") as file:
            self.connection.execute(file.read())
        self.parameters = dict(parameters)
        sends_file = self.parameters["sends"]
        if sends_file is None:
            # read_csv needs a file with columns, so a run without an export reads an empty one.
            sends_file = os.path.join(os.path.dirname(functions_path), "no-export.csv")
            with open(sends_file, "w", encoding="utf-8") as file:
                file.write(EMPTY_EXPORT_HEADER)
        self.parameters["sends_file"] = sends_file

    def check_uap_cases(self, cases):
        """Return the uap-core cases whose family the SQL functions get wrong."""
        if not cases:
            return []
        self.connection.execute(
            "CREATE TEMP TABLE uap_cases (parser VARCHAR, ua VARCHAR, expected VARCHAR)")
        self.connection.executemany("INSERT INTO uap_cases VALUES (?, ?, ?)", cases)
        return self.connection.execute(self._read("uap-cases.sql")).fetchall()

    def report_tables(self):
        """Return the rows of campaigns.sql, params.sql and days.sql as dictionaries."""
        for name, value in self.parameters.items():
            self.connection.execute(f"SET VARIABLE {name} = ?", [value])
        self.connection.execute(self._read("inputs.sql"))
        return [self._rows(name) for name in ("campaigns.sql", "params.sql", "days.sql")]

    def close(self):
        self.connection.close()

    def _rows(self, name):
        result = self.connection.execute(self._read(name))
        columns = [column[0] for column in result.description]
        return [dict(zip(columns, row)) for row in result.fetchall()]

    def _read(self, name):
        with open(os.path.join(self.sql_folder, name), encoding="utf-8") as file:
            return file.read()
