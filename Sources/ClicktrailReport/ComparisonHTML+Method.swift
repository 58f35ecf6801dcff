extension ComparisonHTML {
  func renderMethod() -> String {
    let q = Comparison.falseDiscoveryRate
    return """
      <section id="method"><h2>Method</h2>
      <p>Every row of every report table is paired by its keys. For each metric the \
      files give the value in A and in B, the change B - A and the relative change \
      (B - A) / A as a fraction, empty when A is 0 or empty. Sends, visits, unique visits, \
      clicks and conversions are also given per day, since the periods may differ in length.</p>
      <p>Three rates are tested: sms_ctr (unique_visits / sends), lander_ctr (clicks / \
      visits) and cr (conversions / visits).</p>
      <ul>
      <li><b>Test:</b> the pooled two-proportion z-test, two-sided: \
      z = (p<sub>B</sub> - p<sub>A</sub>) / sqrt(p (1 - p) (1/n<sub>A</sub> + 1/n<sub>B</sub>)) \
      with the pooled p = (x<sub>A</sub> + x<sub>B</sub>) / (n<sub>A</sub> + n<sub>B</sub>); \
      the p-value is erfc(|z| / sqrt 2).</li>
      <li><b>Interval:</b> a 95% confidence interval for B - A by Newcombe's hybrid score \
      method (method 10 of Newcombe 1998), built from the Wilson score intervals of each \
      period's rate.</li>
      <li><b>Multiple testing:</b> Benjamini-Hochberg at q = \(q) across all tests of the \
      same rate in the same table; <code>_significant</code> is yes or no after it.</li>
      <li><b>Too small:</b> a row is not tested (<code>too_small</code>) when either period \
      has no trials or any of n<sub>A</sub> p, n<sub>A</sub> (1 - p), n<sub>B</sub> p, \
      n<sub>B</sub> (1 - p) with the pooled p is below 5. Its interval is still given when \
      both periods have trials, since the score interval holds for small counts.</li>
      <li><b>Not applicable:</b> <code>not_applicable</code> when the trials are unknown (no \
      sends export) or a rate exceeds 1, as lander_ctr may when visitors click more than \
      once, so that it is no proportion.</li>
      <li><b>Rows in one period only:</b> the other period's values are empty and \
      <code>_significant</code> is <code>only_a</code> or <code>only_b</code>.</li>
      </ul>
      <p>The tests treat visits as independent trials. Overlapping periods share visits. Days \
      and hours are compared as weekdays and hours of the day, whose counts add up the days \
      and hours they group.</p></section>

      """
  }

  func renderInputs() -> String {
    let report = inputs.report
    let a = comparison.a
    let b = comparison.b
    let rows: [(String, String)] = [
      ("period A", "\(a.from) to \(a.to), \(a.days) days"),
      ("period B", "\(b.from) to \(b.to), \(b.days) days"),
      ("periods overlap", a.overlaps(b) ? "yes" : "no"),
      ("time zone", report.settings.timeZoneName),
      (
        "conversions counted on",
        report.settings.conversionsOnPostbackDay ? "the postback's day" : "the visit's day"
      ),
      ("log paths", report.paths.joined(separator: ", ")),
      ("catalogue", report.cataloguePath ?? "none"), ("sends", report.sendsPath ?? "none"),
    ]
    var html = "<section id=\"inputs\"><h2>Inputs and periods</h2><table>"
    for (name, value) in rows {
      html += "<tr><th>\(HTMLReport.escape(name))</th><td>\(HTMLReport.escape(value))</td></tr>"
    }
    return html + "</table></section>\n"
  }
}
