//! Walking several columns together, and joining them into rows.
//!
//! This is the hot path of every `status`: a 48-port switch is a few hundred values, and the
//! cost is the number of round trips. All columns travel in each request: on v2c/v3 one GETBULK
//! with a varbind per column that has not ended, on v1 (no GETBULK) one multi-varbind GETNEXT.
//! Each column stops on its own when the agent returns an OID outside it or endOfMibView. An
//! agent that returns an OID not after the previous one is refused (it would loop forever), and
//! a `tooBig` halves max-repetitions.

use std::collections::BTreeMap;

use dci_protocol::SnmpVersion;

use crate::error::SnmpError;
use crate::session::{BULK_VALUES, Session};
use crate::value::{Oid, Value, from_wire};

/// No real table has more rows; a walk that gets here is an agent looping on us.
pub const MAX_ROWS: usize = 100_000;

/// One column as walked: (index, value) in the agent's order (increasing OIDs).
pub type Column = Vec<(Vec<u32>, Value)>;

struct Cursor<'a> {
    base: &'a [u32],
    last: Oid,
    done: bool,
    out: Column,
}

impl<'a> Cursor<'a> {
    /// A column not walked yet: the next request asks for what follows its base.
    fn new(base: &'a [u32]) -> Cursor<'a> {
        Cursor {
            base,
            last: Oid::from(base),
            done: false,
            out: Vec::new(),
        }
    }
}

impl Session {
    /// Walks `columns` together and returns each column's cells. Columns may belong to
    /// different tables; each ends on its own.
    pub async fn walk(&self, columns: &[&[u32]]) -> Result<Vec<Column>, SnmpError> {
        Ok(self.walk_with(&[], columns).await?.1)
    }

    /// Like [`Session::walk`], and also reads `scalars` (full instance OIDs such as
    /// sysName.0) in the first request, as GETBULK non-repeaters (extra GETNEXT varbinds on
    /// v1), so they cost no round trip of their own. A scalar the agent lacks is `None`.
    pub async fn walk_with(
        &self,
        scalars: &[&[u32]],
        columns: &[&[u32]],
    ) -> Result<(Vec<Option<Value>>, Vec<Column>), SnmpError> {
        // GETNEXT of an instance's parent (x for x.0) answers with the instance if it exists.
        let mut pending: Vec<usize> = (0..scalars.len())
            .filter(|i| !scalars[*i].is_empty())
            .collect();
        let mut scalar_values: Vec<Option<Value>> = vec![None; scalars.len()];
        let mut cursors: Vec<Cursor<'_>> = columns.iter().map(|c| Cursor::new(c)).collect();
        let mut reps_cap = u32::MAX;
        loop {
            let active: Vec<usize> = (0..cursors.len()).filter(|i| !cursors[*i].done).collect();
            if active.is_empty() && pending.is_empty() {
                break;
            }
            let s = pending.len();
            let mut asked: Vec<Oid> = pending
                .iter()
                .map(|i| Oid::from(&scalars[*i][..scalars[*i].len() - 1]))
                .collect();
            asked.extend(active.iter().map(|i| cursors[*i].last.clone()));
            let oids: Vec<async_snmp::Oid> = asked
                .iter()
                .map(|o| async_snmp::Oid::from_slice(o.arcs()))
                .collect();
            let varbinds = if self.version == SnmpVersion::V1 || self.getnext {
                match self
                    .read(|c| {
                        let oids = &oids;
                        async move { c.get_next_many(oids).await }
                    })
                    .await
                {
                    Ok(r) => r.varbinds,
                    // v1 ends a walk past the last object of the MIB with noSuchName on the
                    // varbind concerned: that column is over; ask again for the others.
                    Err(e) if e.is_no_such_name() => {
                        let at = e
                            .error_index()
                            .and_then(|i| i.checked_sub(1))
                            .map(|i| i as usize)
                            .filter(|i| *i < asked.len())
                            .ok_or_else(|| self.error(&e, &asked))?;
                        if at < s {
                            pending.remove(at);
                        } else {
                            cursors[active[at - s]].done = true;
                        }
                        continue;
                    }
                    Err(e) => return Err(self.error(&e, &asked)),
                }
            } else {
                let reps = self.repetitions(active.len()).min(reps_cap);
                match self
                    .read(|c| {
                        let oids = &oids;
                        async move { c.get_bulk(oids, s as u32, reps).await }
                    })
                    .await
                {
                    Ok(v) => v,
                    Err(e) if e.is_too_big() && reps > 1 => {
                        reps_cap = reps / 2;
                        tracing::debug!(snmp.target = %self.target, reps = reps_cap, "tooBig (or genErr): fewer repetitions");
                        continue;
                    }
                    Err(e) => return Err(self.error(&e, &asked)),
                }
            };
            if varbinds.is_empty() {
                return Err(self.malformed("an empty answer to a walk request"));
            }
            if ((self.version == SnmpVersion::V1 || self.getnext) && varbinds.len() != asked.len())
                || varbinds.len() < s
            {
                return Err(self.malformed(&format!(
                    "{} values in answer to a request for {}",
                    varbinds.len(),
                    asked.len()
                )));
            }
            // Non-repeaters first, one value each.
            for (k, vb) in varbinds[..s].iter().enumerate() {
                let i = pending[k];
                if vb.oid.arcs() == scalars[i] {
                    scalar_values[i] = from_wire(&vb.value).ok();
                }
            }
            pending.clear();
            let row: Vec<(Oid, Result<Value, ()>)> = varbinds[s..]
                .iter()
                .map(|vb| {
                    (
                        Oid(vb.oid.arcs().to_vec()),
                        from_wire(&vb.value).map_err(|_| ()),
                    )
                })
                .collect();
            absorb(&self.target, &mut cursors, &active, row)?;
        }
        Ok((scalar_values, cursors.into_iter().map(|c| c.out).collect()))
    }

    /// Walks `columns` of one table (or of tables sharing an index, such as ifTable and
    /// ifXTable) and joins them by index.
    pub async fn table(&self, columns: &[&[u32]]) -> Result<Table, SnmpError> {
        let walked = self.walk(columns).await?;
        Ok(Table::join(self.target.clone(), columns, walked))
    }

    /// [`Session::table`] with `scalars` read in the same first request.
    pub async fn table_with(
        &self,
        scalars: &[&[u32]],
        columns: &[&[u32]],
    ) -> Result<(Vec<Option<Value>>, Table), SnmpError> {
        let (values, walked) = self.walk_with(scalars, columns).await?;
        Ok((values, Table::join(self.target.clone(), columns, walked)))
    }

    fn repetitions(&self, columns: usize) -> u32 {
        self.max_repetitions
            .unwrap_or_else(|| (BULK_VALUES / columns.max(1) as u32).max(10))
    }

    fn malformed(&self, reason: &str) -> SnmpError {
        SnmpError::Malformed {
            target: self.target.clone(),
            reason: reason.to_owned(),
        }
    }
}

/// Takes one answer's repeated varbinds into the cursors of the `active` columns. GETBULK
/// answers row by row, so the k-th value belongs to the (k mod n)-th active column; a GETNEXT
/// answer is the one-row case. A column ends at the first OID outside it or at an exception
/// (endOfMibView); an OID not after the previous one of its column is refused, as is a column
/// longer than [`MAX_ROWS`]. `Err(())` stands for an exception in place of a value.
fn absorb(
    target: &str,
    cursors: &mut [Cursor<'_>],
    active: &[usize],
    answer: Vec<(Oid, Result<Value, ()>)>,
) -> Result<(), SnmpError> {
    let n = active.len();
    if n == 0 {
        return Ok(());
    }
    let mut ended = vec![false; n];
    for (k, (oid, value)) in answer.into_iter().enumerate() {
        let slot = k % n;
        if ended[slot] {
            continue;
        }
        let cursor = &mut cursors[active[slot]];
        let (Some(index), Ok(value)) = (oid.suffix(cursor.base), value) else {
            ended[slot] = true;
            cursor.done = true;
            continue;
        };
        if oid <= cursor.last {
            return Err(SnmpError::NonIncreasing {
                target: target.to_owned(),
                column: Oid::from(cursor.base),
                previous: cursor.last.clone(),
                oid,
            });
        }
        cursor.out.push((index.to_vec(), value));
        if cursor.out.len() > MAX_ROWS {
            return Err(SnmpError::TooManyRows {
                target: target.to_owned(),
                column: Oid::from(cursor.base),
                limit: MAX_ROWS,
            });
        }
        cursor.last = oid;
    }
    Ok(())
}

/// Columns joined by index: one row per index that any column has.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    target: String,
    columns: Vec<Oid>,
    rows: BTreeMap<Vec<u32>, Vec<Option<Value>>>,
}

impl Table {
    /// Joins walked columns by index. Exposed for tests of handlers' value maps.
    pub fn join(target: String, columns: &[&[u32]], walked: Vec<Column>) -> Table {
        let mut rows: BTreeMap<Vec<u32>, Vec<Option<Value>>> = BTreeMap::new();
        for (c, cells) in walked.into_iter().enumerate() {
            for (index, value) in cells {
                rows.entry(index)
                    .or_insert_with(|| vec![None; columns.len()])[c] = Some(value);
            }
        }
        Table {
            target,
            columns: columns.iter().map(|c| Oid::from(*c)).collect(),
            rows,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no column had any row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows in index order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows.iter().map(|(index, cells)| Row {
            index,
            cells,
            table: self,
        })
    }

    /// The row at `index`.
    pub fn row(&self, index: &[u32]) -> Option<Row<'_>> {
        self.rows.get_key_value(index).map(|(index, cells)| Row {
            index,
            cells,
            table: self,
        })
    }
}

/// One row of a [`Table`]. Cells are addressed by the position of their column in the list
/// given to [`Session::table`]; typed accessors say which OID held the wrong type.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// The row's index (the OID arcs after the column).
    pub index: &'a [u32],
    cells: &'a [Option<Value>],
    table: &'a Table,
}

impl Row<'_> {
    /// The raw value of column `col`, if the row has it.
    pub fn value(&self, col: usize) -> Option<&Value> {
        self.cells.get(col).and_then(Option::as_ref)
    }

    fn wrong(&self, col: usize, v: &Value, expected: &'static str) -> SnmpError {
        SnmpError::WrongValue {
            target: self.table.target.clone(),
            oid: Oid::join(self.table.columns[col].arcs(), self.index),
            got: format!("{} {v}", v.type_name()),
            expected,
        }
    }

    /// An INTEGER cell.
    pub fn integer(&self, col: usize) -> Result<Option<i64>, SnmpError> {
        self.value(col)
            .map(|v| {
                v.as_integer()
                    .ok_or_else(|| self.wrong(col, v, "an INTEGER"))
            })
            .transpose()
    }

    /// A counter or gauge cell.
    pub fn unsigned(&self, col: usize) -> Result<Option<u64>, SnmpError> {
        self.value(col)
            .map(|v| {
                v.as_unsigned()
                    .ok_or_else(|| self.wrong(col, v, "a counter or gauge"))
            })
            .transpose()
    }

    /// An OCTET STRING cell as text.
    pub fn text(&self, col: usize) -> Result<Option<String>, SnmpError> {
        self.value(col)
            .map(|v| {
                v.as_text()
                    .ok_or_else(|| self.wrong(col, v, "an OCTET STRING"))
            })
            .transpose()
    }

    /// The error for a cell whose value is outside what the MIB allows.
    pub fn out_of_range(&self, col: usize, expected: &'static str) -> SnmpError {
        match self.value(col) {
            Some(v) => self.wrong(col, v, expected),
            None => SnmpError::NoSuch {
                target: self.table.target.clone(),
                oid: Oid::join(self.table.columns[col].arcs(), self.index),
                exception: "noSuchInstance",
            },
        }
    }
}

/// [`absorb`] on answers made from bytes, for the fuzz target: each 3-byte group is (column or
/// anywhere, one index arc, value or exception); a 0xFF byte ends a round.
#[cfg(feature = "fuzzing")]
pub(crate) fn fuzz_absorb(data: &[u8]) {
    const COLUMNS: [&[u32]; 3] = [
        &[1, 3, 6, 1, 2, 1, 2, 2, 1, 2],
        &[1, 3, 6, 1, 2, 1, 2, 2, 1, 7],
        &[1, 3, 6, 1, 4, 1, 9],
    ];
    let mut cursors: Vec<Cursor<'_>> = COLUMNS.iter().map(|c| Cursor::new(c)).collect();
    for round in data.split(|b| *b == 0xFF) {
        let active: Vec<usize> = (0..cursors.len()).filter(|i| !cursors[*i].done).collect();
        let answer = round
            .chunks(3)
            .map(|c| {
                let base: &[u32] = COLUMNS
                    .get(usize::from(c[0] % 4))
                    .copied()
                    .unwrap_or(&[1, 3]);
                let arc = u32::from(c.get(1).copied().unwrap_or(0));
                let ok = c.get(2).is_some_and(|b| b % 5 != 0);
                (
                    Oid([base, &[arc]].concat()),
                    if ok {
                        Ok(Value::Integer(i64::from(arc)))
                    } else {
                        Err(())
                    },
                )
            })
            .collect();
        if absorb("fuzz", &mut cursors, &active, answer).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests;
