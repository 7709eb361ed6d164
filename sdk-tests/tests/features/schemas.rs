//! Schema features: open enums, unions, recursion, formats, nulls, read/write-only, constraints and their paths.

use super::*;

#[test]
fn open_enums_keep_unknown_values_and_re_encode_them_unchanged() {
    let status: Status = serde_json::from_value(json!("ARCHIVED")).unwrap();
    assert_eq!(status, Status::Unknown("ARCHIVED".into()));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("ARCHIVED"));
    assert_eq!(serde_json::from_value::<Status>(json!("ACTIVE")).unwrap(), Status::Active);
    let level: Level = serde_json::from_value(json!(7)).unwrap();
    assert_eq!(level, Level::Unknown(7));
    assert_eq!(serde_json::to_value(&level).unwrap(), json!(7));
    // A whole response with a new value still decodes.
    let thing: Thing = serde_json::from_value(json!({"name": "a", "status": "NEW_STATE"})).unwrap();
    assert_eq!(thing.status, Some(Status::Unknown("NEW_STATE".into())));
}

#[test]
fn unknown_enum_values_fail_request_validation_with_their_path() {
    let thing: Thing = serde_json::from_value(json!({"name": "a", "status": "NEW_STATE"})).unwrap();
    let err = thing.validate().unwrap_err();
    assert_eq!(err.violations.len(), 1);
    assert_eq!(err.violations[0].path.as_str(), "status");
    assert!(err.violations[0].message.contains("NEW_STATE"), "{}", err.violations[0]);
}

#[test]
fn every_constraint_violation_is_reported_with_its_path() {
    let thing: Thing = serde_json::from_value(json!({
        "name": "TooLongName9",
        "9lives": 10,
        "tags": ["a", "bb", "bb", "cc"],
        "labels": {"k": "12345"},
        "ratio": 0.0
    }))
    .unwrap();
    let err = thing.validate().unwrap_err();
    let messages: Vec<String> = err.violations.iter().map(ToString::to_string).collect();
    for expected in [
        "name: length 12 is above the maximum 8",
        "name: the value does not match the pattern ^[a-z]+$",
        "9lives: 10 is above the maximum 9",
        "tags: 4 items are more than the maximum 3",
        "tags: items 1 and 2 are equal, but the items must be unique",
        "tags[0]: length 1 is below the minimum 2",
        "labels[\"k\"]: length 5 is above the maximum 4",
        "ratio: 0 is below the exclusive minimum 0",
    ] {
        assert!(messages.iter().any(|m| m == expected), "missing {expected:?} in {messages:#?}");
    }
    assert_eq!(messages.len(), 8, "{messages:#?}");
}

#[test]
fn discriminated_unions_dispatch_on_the_tag() {
    let shape: Shape = serde_json::from_value(json!({"kind": "square", "side": 2.0})).unwrap();
    assert!(matches!(shape, Shape::Square(ref s) if s.side == 2.0));
    assert_eq!(serde_json::to_value(&shape).unwrap(), json!({"kind": "square", "side": 2.0}));
    let err = serde_json::from_value::<Shape>(json!({"kind": "hexagon"})).unwrap_err();
    assert!(err.to_string().contains("unknown kind \"hexagon\""), "{err}");
}

#[test]
fn recursive_types_round_trip() {
    let value = json!({"value": "root", "left": {"value": "l"}, "children": [{"value": "c"}]});
    let tree: Tree = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(tree.left.as_ref().and_then(|l| l.value.as_deref()), Some("l"));
    assert_eq!(serde_json::to_value(&tree).unwrap(), value);
}

#[test]
fn secrets_never_reach_debug_output() {
    let thing: Thing = serde_json::from_value(json!({"name": "a", "secret": "hunter2"})).unwrap();
    let debug = format!("{thing:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(debug.contains("***"));
}

#[test]
fn formats_round_trip_as_the_service_writes_them() {
    let formats: Formats = round_trip(json!({
        "double": 1.0e300,
        "float": 0.25,
        "int32": -2147483648,
        "int64": 9007199254740993_i64,
        "byte": "AQID",
        "binary": "AAH/",
        "dateTime": "2024-02-29T23:59:60.5+08:00",
        "date": "2024-02-29",
        "uuid": "0F8FAD5B-D9CB-469F-A165-70867728950E"
    }));
    assert_eq!(formats.double, Some(1.0e300));
    assert_eq!(formats.float, Some(0.25_f32));
    assert_eq!(formats.int64, Some(9_007_199_254_740_993));
    // A binary value inside JSON is a string (JSON Schema's type): base64, as Jackson and
    // System.Text.Json write bytes; round_trip checked it goes back out as the same text.
    assert_eq!(formats.binary.as_deref(), Some(&[0, 1, 255][..]));
    let sent = serde_json::to_value(Formats::new().with_binary(b"\x00hi".to_vec())).unwrap();
    assert_eq!(sent["binary"], json!("AGhp"));
    let numbers = serde_json::from_value::<Formats>(json!({"binary": [0, 1, 255]})).unwrap_err();
    assert!(numbers.to_string().contains("a base64 string"), "a list of numbers is no binary string: {numbers}");
    let broken = serde_json::from_value::<Formats>(json!({"binary": "AAH"})).unwrap_err();
    assert!(broken.to_string().contains("not valid base64"), "{broken}");
    // Text formats keep the service's exact spelling (a leap second, upper-case hex).
    assert_eq!(formats.date_time.as_deref(), Some("2024-02-29T23:59:60.5+08:00"));
    assert_eq!(formats.uuid.as_deref(), Some("0F8FAD5B-D9CB-469F-A165-70867728950E"));
    assert!(
        serde_json::from_value::<Formats>(json!({"int32": 2147483648_i64})).is_err(),
        "an int32 out of range is rejected"
    );
}

#[test]
fn nulls_decode_and_required_nullables_are_sent_as_null() {
    let nullables: Nullables = serde_json::from_value(json!({
        "present": null,
        "owner": null,
        "viaAllOf": null,
        "refSibling": null,
        "direct": {"kind": "circle", "radius": 1.0},
        "choice": null,
        "items": ["a", null]
    }))
    .unwrap();
    assert_eq!(nullables.present, None);
    assert_eq!(nullables.via_all_of, None);
    assert_eq!(nullables.ref_sibling, None);
    assert_eq!(nullables.choice, None);
    assert_eq!(nullables.items, Some(vec![Some("a".to_owned()), None]));
    // Required ones go out as `null`; optional ones are left out.
    assert_eq!(
        serde_json::to_value(&nullables).unwrap(),
        json!({"present": null, "owner": null, "direct": {"kind": "circle", "radius": 1.0}, "items": ["a", null]})
    );
    let set = Nullables::new().with_owner(Circle::new("c", 2.0)).with_choice(NullablesChoice::Off);
    assert_eq!(
        serde_json::to_value(&set).unwrap(),
        json!({"owner": {"kind": "c", "radius": 2.0}, "present": null, "choice": "off"})
    );
}

#[test]
fn odd_enum_values_and_unknown_integers_re_encode_unchanged() {
    for (wire, variant) in [
        ("CREATE_FAILED", Phase::CreateFailed),
        ("9lives", Phase::N9lives),
        ("self", Phase::Self_),
        ("net-id", Phase::NetId),
        ("已删除", Phase::U5df2U5220U9664),
    ] {
        assert_eq!(round_trip::<Phase>(json!(wire)), variant);
    }
    assert_eq!(round_trip::<Phase>(json!("已恢复")), Phase::Unknown("已恢复".into()));
    assert_eq!(round_trip::<Priority>(json!(20)), Priority::V20);
    assert_eq!(round_trip::<Priority>(json!(40)), Priority::Unknown(40));
    assert_eq!(
        violations(&Priority::Unknown(40)),
        ["(request): \"40\" is not one of the documented values 10, 20, 30"]
    );
}

#[test]
fn named_enum_values_decode_into_their_given_names_and_encode_as_the_value() {
    assert_eq!(round_trip::<ClusterPhase>(json!(100)), ClusterPhase::Creating);
    assert_eq!(round_trip::<ClusterPhase>(json!(400)), ClusterPhase::IsFrozen);
    assert_eq!(serde_json::to_value(ClusterPhase::FailedState).unwrap(), json!(300));
    assert_eq!(round_trip::<ClusterPhase>(json!(500)), ClusterPhase::Unknown(500));
    assert_eq!(round_trip::<Flavor>(json!("ffff-0000")), Flavor::Large);
    assert_eq!(Flavor::Small.as_str(), "a1b2-c3");
}

#[test]
fn colliding_type_names_are_distinct_types() {
    assert_eq!(round_trip::<FooBar>(json!({"a": "x"})).a.as_deref(), Some("x"));
    assert_eq!(round_trip::<FooBar2>(json!({"b": "y"})).b.as_deref(), Some("y"));
    let holder: Holder = round_trip(json!({"meta": {"inline": true}}));
    assert_eq!(holder.meta.and_then(|m| m.inline), Some(true));
    assert_eq!(round_trip::<HolderMeta>(json!({"component": false})).component, Some(false));
}

#[test]
fn read_only_fields_stay_out_of_requests_and_write_only_ones_out_of_responses() {
    // A response carries the read-only id but never the write-only password: it still decodes.
    let returned: Account = serde_json::from_value(json!({"id": "acc-1", "name": "n"})).unwrap();
    assert_eq!((returned.id.as_deref(), returned.password.as_deref()), (Some("acc-1"), None));
    // A request leaves the id unset and carries the password.
    let sent = Account::new("n").with_password("hunter2");
    assert_eq!(serde_json::to_value(&sent).unwrap(), json!({"password": "hunter2", "name": "n"}));
    assert!(sent.validate().is_ok());
    assert!(!format!("{sent:?}").contains("hunter2"));
    // A request without the required write-only password is stopped before it is sent.
    assert_eq!(violations(&returned), ["password: is required, but not set"]);
}

#[test]
fn bounds_and_property_counts_report_every_violation() {
    let bounds: Bounds =
        serde_json::from_value(json!({"below": 10, "above": 0.5, "ceiling": 1.6, "counts": {}})).unwrap();
    let messages = violations(&bounds);
    for expected in [
        "(request): 4 properties are more than the maximum 2",
        "below: 10 is above the exclusive maximum 10",
        "above: 0.5 is below the exclusive minimum 0.5",
        "ceiling: 1.6 is above the maximum 1.5",
        "counts: 0 properties are fewer than the minimum 1",
    ] {
        assert!(messages.iter().any(|m| m == expected), "missing {expected:?} in {messages:#?}");
    }
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert_eq!(violations(&Bounds::default()), ["(request): 0 properties are fewer than the minimum 1"]);
    let fine: Bounds = serde_json::from_value(json!({"below": 9, "ceiling": 1.5})).unwrap();
    assert!(violations(&fine).is_empty());
}

#[test]
fn nested_violations_carry_their_full_path() {
    let deployment: Deployment = serde_json::from_value(json!({
        "cluster": {"instances": [
            {"nics": [{"securityGroupId": "sg-1"}, {"securityGroupId": ""}]},
            {"nics": [{"securityGroupId": "x".repeat(37)}]}
        ]}
    }))
    .unwrap();
    assert_eq!(
        violations(&deployment),
        [
            "cluster.instances[0].nics[1].securityGroupId: length 0 is below the minimum 1",
            "cluster.instances[1].nics[0].securityGroupId: length 37 is above the maximum 36"
        ]
    );
}

#[test]
fn additional_properties_are_kept_typed_or_dropped_when_closed() {
    let counters: Counters = round_trip(json!({"total": 3, "a": 1, "b": 2}));
    assert_eq!(counters.total, 3);
    assert_eq!(counters.additional_properties.get("b"), Some(&2));
    assert!(serde_json::from_value::<Counters>(json!({"total": 3, "a": "one"})).is_err(), "extra values are typed");
    assert!(violations(&counters).is_empty());
    let negative: Counters = serde_json::from_value(json!({"total": -5, "a": 1, "b": -2})).unwrap();
    assert_eq!(
        violations(&negative),
        [r#"["b"]: -2 is below the minimum 0"#],
        "extra values meet their schema's constraints; the named field has none"
    );
    let closed: Closed = serde_json::from_value(json!({"only": "x", "stray": 1})).unwrap();
    assert_eq!(serde_json::to_value(&closed).unwrap(), json!({"only": "x"}));
}

#[test]
fn discriminators_without_mapping_and_titled_variants() {
    let animal: Animal = round_trip(json!({"petType": "Dog", "barks": true}));
    assert!(matches!(animal, Animal::Dog(ref d) if d.barks == Some(true)), "{animal:?}");
    assert!(
        serde_json::from_value::<Animal>(json!({"petType": "dog"})).is_err(),
        "the schema name is the tag, exactly"
    );
    assert!(matches!(round_trip::<Lookup>(json!({"id": 7})), Lookup::ById(ref l) if l.id == 7));
    assert!(matches!(round_trip::<Lookup>(json!({"name": "n"})), Lookup::ByName(_)));
}
