// Probe that scripts/check-html loads first in <head> of a copy of index.html, so that it
// also records errors from the page's own scripts. After load it sorts every table.sortable
// by each column with two distinct values, both ways, and writes a JSON verdict to
// <pre id="check-html-verdict"> for `chromium --dump-dom` to print.
(function () {
  "use strict";

  var errors = [];
  var NUMBER = /^-?\d+(\.\d+)?$/;

  function describe(value) {
    try {
      if (value instanceof Error) return value.name + ": " + value.message;
      return String(value);
    } catch (ignored) {
      return "(a value that cannot be printed)";
    }
  }

  window.addEventListener(
    "error",
    function (event) {
      var target = event.target;
      if (target && target !== window && target.tagName) {
        errors.push(
          "resource failed to load: <" + target.tagName.toLowerCase() + "> " +
            (target.src || target.href || ""),
        );
        return;
      }
      var where = event.filename ? " (" + event.filename.replace(/^.*\//, "") + " line " +
        event.lineno + ")" : "";
      errors.push("uncaught " + (event.error ? describe(event.error) : event.message) + where);
    },
    true,
  );
  window.addEventListener("unhandledrejection", function (event) {
    errors.push("unhandled promise rejection: " + describe(event.reason));
  });
  var consoleError = console.error;
  console.error = function () {
    errors.push("console.error: " + Array.prototype.map.call(arguments, describe).join(" "));
    return consoleError.apply(console, arguments);
  };

  function columnValues(table, index) {
    var body = table.tBodies[0];
    if (!body) return [];
    return Array.prototype.map.call(body.rows, function (row) {
      var cell = row.cells[index];
      return cell ? cell.textContent.trim() : "";
    });
  }

  function rowTexts(table) {
    var body = table.tBodies[0];
    if (!body) return [];
    return Array.prototype.map.call(body.rows, function (row) {
      return row.textContent;
    }).sort();
  }

  // Returns the first row out of order, as text, or null when the values are in order.
  // The empty cells of a numeric column must be together at one end.
  function disorder(values, numeric, descending) {
    var previous = null;
    var seenEmptyAfterValue = false;
    for (var row = 0; row < values.length; row++) {
      var value = values[row];
      if (numeric && value === "") {
        if (previous !== null) seenEmptyAfterValue = true;
        continue;
      }
      if (numeric && seenEmptyAfterValue) {
        return "row " + (row + 1) + ": empty cells are not together at one end";
      }
      if (previous !== null) {
        var order = numeric ? Number(previous) - Number(value) : previous.localeCompare(value);
        if (descending ? order < 0 : order > 0) {
          return "row " + (row + 1) + ": " + JSON.stringify(value) + " comes after " +
            JSON.stringify(previous);
        }
      }
      previous = value;
    }
    return null;
  }

  function tableName(table, position) {
    var section = table.closest("section");
    return section && section.id ? "#" + section.id : "table " + position;
  }

  function run() {
    var verdict = {
      tables: 0,
      numericColumns: 0,
      textColumns: 0,
      errors: errors,
      failures: [],
    };
    var tables = document.querySelectorAll("table.sortable");
    Array.prototype.forEach.call(tables, function (table, tableIndex) {
      var name = tableName(table, tableIndex + 1);
      var headers = table.tHead ? table.tHead.querySelectorAll("th") : [];
      var before = rowTexts(table);
      var kinds = { numeric: 0, text: 0 };
      verdict.tables += 1;
      Array.prototype.forEach.call(headers, function (header, index) {
        var values = columnValues(table, index);
        if (new Set(values).size < 2) return;
        var numeric = values.every(function (value) {
          return value === "" || NUMBER.test(value);
        });
        var column = name + " column " + JSON.stringify(header.textContent.trim());
        var passed = true;
        [false, true].forEach(function (descending) {
          if (!passed) return;
          header.click();
          var problem = disorder(columnValues(table, index), numeric, descending);
          if (problem) {
            passed = false;
            verdict.failures.push(
              column + " is not in " + (descending ? "descending" : "ascending") + " " +
                (numeric ? "numeric" : "text") + " order after " +
                (descending ? "a second click" : "a click") + ": " + problem,
            );
          }
        });
        var after = rowTexts(table);
        if (after.length !== before.length || after.some(function (row, i) {
          return row !== before[i];
        })) {
          passed = false;
          verdict.failures.push(column + ": sorting lost or changed rows");
        }
        if (passed) kinds[numeric ? "numeric" : "text"] += 1;
      });
      verdict.numericColumns += kinds.numeric;
      verdict.textColumns += kinds.text;
      ["numeric", "text"].forEach(function (kind) {
        if (kinds[kind] === 0) {
          verdict.failures.push(
            name + ": no " + kind + " column with two distinct values sorts correctly",
          );
        }
      });
    });
    writeVerdict(verdict);
  }

  function writeVerdict(verdict) {
    var element = document.createElement("pre");
    element.id = "check-html-verdict";
    element.textContent = JSON.stringify(verdict);
    document.body.appendChild(element);
  }

  window.addEventListener("load", function () {
    // Runs after the page's own load handlers. check-html passes --virtual-time-budget so
    // that Chromium waits for this timer before it dumps the DOM.
    setTimeout(function () {
      try {
        run();
      } catch (error) {
        writeVerdict({ probeError: describe(error), errors: errors });
      }
    }, 0);
  });
})();
