//! What this browser has spent and the person's own limits on it, in
//! every mode (own key or a proxy): the spend line, the daily cap and the
//! confirmation before an expensive run. Reads the history's records;
//! stores nothing itself.

pub mod calendar;
pub mod limits;
pub mod totals;
