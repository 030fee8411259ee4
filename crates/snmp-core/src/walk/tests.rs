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
