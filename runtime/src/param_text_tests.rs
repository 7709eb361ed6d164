//! `param_text` writes scalars directly: held to the text the way through a JSON value gives
//! (`json_text`), byte for byte, over every kind of value a parameter can be.

use super::*;
use crate::request::{build_path, PathPiece};
use serde::Serialize;
use std::collections::BTreeMap;

/// `param_text` of `value`, checked against the JSON way.
fn text<T: Serialize + ?Sized>(value: &T) -> String {
    let direct = param_text(value);
    assert_eq!(direct, json_text(value), "param_text differs from the JSON value's text");
    direct
}

#[test]
fn integers_and_booleans_read_as_in_json() {
    assert_eq!(text(&0), "0");
    assert_eq!(text(&-17i8), "-17");
    assert_eq!(text(&i64::MIN), "-9223372036854775808");
    assert_eq!(text(&u64::MAX), "18446744073709551615");
    for value in [i32::MIN, -1, 0, 1, 42, i32::MAX] {
        text(&value);
    }
    for value in [0u16, 7, u16::MAX] {
        text(&value);
    }
    // 128-bit integers: within 64 bits as any integer, beyond them nothing, as a JSON value has.
    assert_eq!(text(&12i128), "12");
    assert_eq!(text(&u128::MAX), "");
    assert_eq!(text(&true), "true");
    assert_eq!(text(&false), "false");
}

#[test]
fn floats_read_as_json_writes_them() {
    assert_eq!(text(&1.0f64), "1.0");
    assert_eq!(text(&-0.0f64), "-0.0");
    assert_eq!(text(&2.5f64), "2.5");
    assert_eq!(text(&1e21f64), "1e+21");
    assert_eq!(text(&1.5e-7f64), "1.5e-7");
    assert_eq!(text(&0.1f32), "0.10000000149011612", "an f32 is widened, as a JSON value does");
    for missing in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(text(&missing), "");
    }
    assert_eq!(text(&f32::NAN), "");
    // A spread of bit patterns: every exponent, many mantissas.
    let mut bits = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..20_000 {
        bits = bits.rotate_left(17).wrapping_mul(0xBF58_476D_1CE4_E5B9).wrapping_add(1);
        text(&f64::from_bits(bits));
        text(&f32::from_bits(bits as u32));
    }
}

#[test]
fn strings_are_themselves() {
    for value in ["", "cluster-1", "a/b c", "中文", "\"quoted\" \\ back", "line\nbreak"] {
        assert_eq!(text(value), value);
        assert_eq!(text(&value.to_owned()), value);
    }
    assert_eq!(text(&'é'), "é");
    assert_eq!(text(&Some("x")), "x");
    assert_eq!(text(&Option::<String>::None), "");
    assert_eq!(text(&()), "");
}

#[derive(Serialize)]
enum Derived {
    #[serde(rename = "REBOOT_FAILURE")]
    RebootFailure,
    Plain,
    Wrapped(u8),
}

/// An open enum as the generator writes one: serialised as its wire text.
enum Open {
    Known,
    Unknown(String),
}

impl Serialize for Open {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            Open::Known => "in-sync",
            Open::Unknown(value) => value,
        })
    }
}

#[derive(Serialize)]
struct Id(String);

#[derive(Serialize)]
struct Pair {
    b: u8,
    a: Vec<f64>,
}

#[test]
fn enums_read_as_their_wire_value() {
    assert_eq!(text(&Derived::RebootFailure), "REBOOT_FAILURE");
    assert_eq!(text(&Derived::Plain), "Plain");
    assert_eq!(text(&Open::Known), "in-sync");
    assert_eq!(text(&Open::Unknown("Sync-Failure".into())), "Sync-Failure");
    assert_eq!(text(&Some(Derived::Plain)), "Plain");
    assert_eq!(text(&Derived::Wrapped(3)), r#"{"Wrapped":3}"#);
}

#[test]
fn lists_and_objects_read_as_json() {
    assert_eq!(text(&Id("i-1".into())), "i-1");
    assert_eq!(text(&vec![1, 2]), "[1,2]");
    assert_eq!(text(&(1, "a")), r#"[1,"a"]"#);
    assert_eq!(text(&Pair { b: 1, a: vec![0.5, f64::NAN] }), r#"{"b":1,"a":[0.5,null]}"#);
    assert_eq!(text(&BTreeMap::from([("k", Some(Derived::Plain))])), r#"{"k":"Plain"}"#);
    assert_eq!(text(&serde_json::json!({"x": [true]})), r#"{"x":[true]}"#);
    assert_eq!(text(&b"ab"[..]), "[97,98]");
    // Keys JSON cannot have: nothing, as before.
    assert_eq!(text(&BTreeMap::from([((1, 2), 3)])), "");
}

#[test]
fn the_text_is_percent_encoded_as_one_path_segment() {
    let values = [text("a/b c?"), text(&-1.5e-7f64), text(&Derived::RebootFailure), text(&Open::Known), text("中")];
    let pieces: Vec<PathPiece> = values.iter().map(|v| PathPiece::Param(v)).collect();
    assert_eq!(build_path(&pieces), "a%2Fb%20c%3F-1.5e-7REBOOT_FAILUREin-sync%E4%B8%AD");
}
