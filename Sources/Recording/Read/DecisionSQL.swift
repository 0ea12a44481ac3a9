/// The `--decision` filter as SQL over schema v3's storage: decisions
/// written before v3 are rows of `decision_rows`, newer ones are inline JSON
/// (`[["stage","rule","action",[detectors],dry_run],…]`) on the exchange's
/// start and outcome rows. Each part is a lookup by the exchange's ID, so
/// the filter costs the same per exchange whatever the table sizes. (The
/// `decisions` view says the same, but SQLite cannot push a correlated
/// condition into a compound view and would scan every row of it.)
enum DecisionSQL {
    /// True when exchange `e.id` has a decision whose action is `?` (each of
    /// the `hasActionParameters` `?`s bound to the same action).
    static let hasAction = """
        (EXISTS (SELECT 1 FROM decision_rows d WHERE d.exchange_id = e.id AND d.action = ?)
         OR EXISTS (SELECT 1 FROM exchange_starts ds, json_each(ds.decisions_json) j
                    WHERE ds.id = e.id AND json_extract(j.value, '$[2]') = ?)
         OR EXISTS (SELECT 1 FROM exchange_outcomes dout, json_each(dout.decisions_json) j
                    WHERE dout.exchange_id = e.id AND json_extract(j.value, '$[2]') = ?))
        """

    static let hasActionParameters = 3
}
