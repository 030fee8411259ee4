//! Unit tests of the table join and typed cell access.

use super::*;

const A: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 2];
const B: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 7];

fn table() -> Table {
    Table::join(
        "127.0.0.1:161".into(),
        &[A, B],
        vec![
            vec![
                (vec![1], Value::OctetString(b"Gi0/1".to_vec())),
                (vec![10], Value::OctetString(b"Gi0/10".to_vec())),
                (vec![2], Value::OctetString(b"Gi0/2\0\0".to_vec())),
            ],
            vec![
                (vec![2], Value::Integer(2)),
                (vec![1], Value::Integer(1)),
                (vec![3], Value::Counter32(5)),
            ],
        ],
    )
}

#[test]
fn rows_are_joined_and_sorted_by_numeric_index() {
    let t = table();
    let idx: Vec<&[u32]> = t.rows().map(|r| r.index).collect();
    assert_eq!(idx, [&[1][..], &[2], &[3], &[10]]);
    let r2 = t.row(&[2]).unwrap();
    assert_eq!(r2.text(0).unwrap().as_deref(), Some("Gi0/2"));
    assert_eq!(r2.integer(1).unwrap(), Some(2));
    let r10 = t.row(&[10]).unwrap();
    assert_eq!(r10.integer(1).unwrap(), None, "a row may lack a column");
}

#[test]
fn wrong_types_name_the_instance() {
    let t = table();
    let e = t.row(&[3]).unwrap().integer(1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "127.0.0.1:161 sent Counter32 5 for 1.3.6.1.2.1.2.2.1.7.3, expected an INTEGER"
    );
    let e = t.row(&[1]).unwrap().unsigned(0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "127.0.0.1:161 sent OCTET STRING \"Gi0/1\" for 1.3.6.1.2.1.2.2.1.2.1, expected a counter or gauge"
    );
    let e = t.row(&[10]).unwrap().out_of_range(1, "up(1) or down(2)");
    assert_eq!(
        e.to_string(),
        "127.0.0.1:161 has no 1.3.6.1.2.1.2.2.1.7.10 (noSuchInstance)"
    );
}

#[test]
fn oids_and_values_display() {
    let o = Oid::join(A, &[5, 1]);
    assert_eq!(o.to_string(), "1.3.6.1.2.1.2.2.1.2.5.1");
    assert_eq!(o.suffix(A), Some(&[5, 1][..]));
    assert_eq!(Oid::from(A).suffix(A), None);
    assert_eq!(Value::OctetString(vec![0, 1, 0xff]).to_string(), "0x0001ff");
    assert_eq!(Value::IpAddress([10, 0, 0, 1]).to_string(), "10.0.0.1");
    assert_eq!(Value::Integer(-3).as_unsigned(), None);
    assert_eq!(Value::Gauge32(7).as_unsigned(), Some(7));
}

fn cursors<'a>(columns: &[&'a [u32]]) -> Vec<Cursor<'a>> {
    columns.iter().map(|c| Cursor::new(c)).collect()
}

fn vb(base: &[u32], index: &[u32], v: i64) -> (Oid, Result<Value, ()>) {
    (Oid::join(base, index), Ok(Value::Integer(v)))
}

const C: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 8];
const NEXT: &[u32] = &[1, 3, 6, 1, 2, 1, 2, 2, 1, 9, 1];

#[test]
fn a_bulk_answer_is_split_row_by_row_and_columns_end_on_their_own() {
    let mut cs = cursors(&[A, B]);
    // Row 1: A.1, B.1; row 2: A.2, then B has left its column (B's next is C.1).
    let answer = vec![
        vb(A, &[1], 10),
        vb(B, &[1], 20),
        vb(A, &[2], 11),
        vb(C, &[1], 99),
        vb(A, &[3], 12),
        vb(C, &[2], 98),
    ];
    absorb("t", &mut cs, &[0, 1], answer).unwrap();
    assert_eq!(
        cs[0].out.iter().map(|(i, _)| i[0]).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert!(!cs[0].done);
    assert_eq!(cs[1].out.len(), 1);
    assert!(cs[1].done, "B ended when its walk left the column");
    assert_eq!(cs[0].last, Oid::join(A, &[3]));
}

#[test]
fn an_exception_ends_the_column() {
    let mut cs = cursors(&[B]);
    absorb(
        "t",
        &mut cs,
        &[0],
        vec![
            vb(B, &[1], 1),
            (Oid::join(B, &[2]), Err(())),
            vb(B, &[3], 3),
        ],
    )
    .unwrap();
    assert_eq!(cs[0].out.len(), 1);
    assert!(cs[0].done);
}

#[test]
fn only_active_columns_take_values() {
    let mut cs = cursors(&[A, B, C]);
    cs[1].done = true;
    absorb(
        "t",
        &mut cs,
        &[0, 2],
        vec![
            vb(A, &[7], 1),
            vb(C, &[7], 2),
            (Oid::from(NEXT), Ok(Value::Null)),
            vb(C, &[8], 3),
        ],
    )
    .unwrap();
    assert_eq!(cs[0].out.len(), 1);
    assert!(cs[0].done, "A's second value was outside it");
    assert_eq!(cs[2].out.len(), 2);
    assert!(cs[1].out.is_empty());
}

#[test]
fn oids_that_do_not_increase_are_refused() {
    let mut cs = cursors(&[A]);
    absorb("127.0.0.1:161", &mut cs, &[0], vec![vb(A, &[5], 1)]).unwrap();
    let e = absorb("127.0.0.1:161", &mut cs, &[0], vec![vb(A, &[5], 1)]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "127.0.0.1:161 returned 1.3.6.1.2.1.2.2.1.2.5 after 1.3.6.1.2.1.2.2.1.2.5 while walking 1.3.6.1.2.1.2.2.1.2: OIDs must increase"
    );
    let mut cs = cursors(&[A]);
    let e = absorb("t", &mut cs, &[0], vec![vb(A, &[5, 1], 1), vb(A, &[4], 1)]).unwrap_err();
    assert!(matches!(e, SnmpError::NonIncreasing { .. }), "{e}");
}

#[test]
fn a_walk_that_never_ends_is_cut_off() {
    let mut cs = cursors(&[A]);
    let answer: Vec<_> = (1..=(MAX_ROWS as u32 + 1))
        .map(|i| vb(A, &[i], 0))
        .collect();
    let e = absorb("t", &mut cs, &[0], answer).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("t: walking 1.3.6.1.2.1.2.2.1.2 returned more than {MAX_ROWS} rows")
    );
}

#[test]
fn error_types_map_onto_the_protocol() {
    use dci_protocol::ErrorType;
    let cases: Vec<(SnmpError, ErrorType)> = vec![
        (
            SnmpError::NoAnswer {
                target: "t".into(),
                tries: 3,
                timeout: std::time::Duration::from_secs(1),
                credential: "community",
            },
            ErrorType::Connection,
        ),
        (
            SnmpError::Auth {
                target: "t".into(),
                reason: "r".into(),
            },
            ErrorType::Connection,
        ),
        (
            SnmpError::Deadline {
                target: "t".into(),
                deadline: std::time::Duration::from_secs(30),
            },
            ErrorType::Connection,
        ),
        (
            SnmpError::Status {
                target: "t".into(),
                status: "noAccess".into(),
                oid: None,
            },
            ErrorType::UnexpectedData,
        ),
        (
            SnmpError::NoSuch {
                target: "t".into(),
                oid: Oid::from(A),
                exception: "noSuchObject",
            },
            ErrorType::UnexpectedData,
        ),
        (
            SnmpError::NotConfirmed {
                target: "t".into(),
                oid: Oid::from(A),
                wanted: "1".into(),
                last: "2".into(),
                waited: std::time::Duration::from_secs(2),
            },
            ErrorType::UnexpectedData,
        ),
    ];
    for (e, t) in cases {
        let text = e.to_string();
        assert_eq!(dci_protocol::Error::from(e).error_type(), t, "{text}");
    }
}

mod props {
    use proptest::prelude::*;

    use super::super::{Cursor, absorb};
    use crate::value::{Oid, Value};

    const COLUMNS: [&[u32]; 3] = [
        &[1, 3, 6, 1, 2, 1, 2, 2, 1, 2],
        &[1, 3, 6, 1, 2, 1, 2, 2, 1, 7],
        &[1, 3, 6, 1, 4, 1, 9],
    ];

    /// Arbitrary answers to a walk of three columns: OIDs under a column or anywhere, in any
    /// order, values or exceptions.
    fn answer() -> impl Strategy<Value = Vec<(Vec<u32>, bool)>> {
        prop::collection::vec(
            (
                prop_oneof![
                    (0usize..3, prop::collection::vec(0u32..5, 0..3)).prop_map(|(c, idx)| [
                        COLUMNS[c],
                        &idx[..]
                    ]
                    .concat()),
                    prop::collection::vec(0u32..10, 0..12),
                ],
                any::<bool>(),
            ),
            0..40,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Whatever the agent answers, absorbing it never panics, and what each column keeps
        /// is under the column and strictly increasing.
        #[test]
        fn walk_answers_never_panic_and_columns_only_grow(rounds in prop::collection::vec(answer(), 1..4)) {
            let mut cursors: Vec<Cursor<'_>> = COLUMNS.iter().map(|c| Cursor::new(c)).collect();
            for a in rounds {
                let active: Vec<usize> = (0..cursors.len()).filter(|i| !cursors[*i].done).collect();
                let answer = a
                    .into_iter()
                    .map(|(o, ok)| (Oid(o), if ok { Ok(Value::Integer(1)) } else { Err(()) }))
                    .collect();
                if absorb("t", &mut cursors, &active, answer).is_err() {
                    break;
                }
            }
            for c in &cursors {
                let oids: Vec<Vec<u32>> = c.out.iter().map(|(i, _)| [c.base, &i[..]].concat()).collect();
                prop_assert!(oids.windows(2).all(|w| w[0] < w[1]));
            }
        }
    }
}
