//! Modules, features, the tariff resource and the login assignment (rules.md §8.3–§8.6).

use std::collections::BTreeMap;

use conclave_domain::tariff::TariffStatus;
use conclave_domain::tariff::assign::{
    LoginTariff, MissingClaim, StatusMapping, TariffAssignment, TariffLookup, resolve_login_tariff,
};
use conclave_domain::tariff::feature::{
    FeatureId, ModuleId, QualifiedFeature, read_disabled_features, read_disabled_modules,
    strict_feature, strict_module,
};
use conclave_domain::tariff::resource::{
    FeatureDenied, ModuleCatalogue, effective_disabled_features, require_feature, tariff_modules,
};

fn f(s: &str) -> QualifiedFeature {
    s.parse().unwrap()
}

fn m(s: &str) -> ModuleId {
    s.parse().unwrap()
}

#[test]
fn ids_are_1_to_255_of_the_allowed_characters() {
    let check = |s: &str, ok: bool| {
        assert_eq!(s.parse::<ModuleId>().is_ok(), ok, "{s:?}");
        assert_eq!(s.parse::<FeatureId>().is_ok(), ok, "{s:?}");
    };
    check("core", true);
    check("Chat-2_x", true);
    check(&"a".repeat(255), true);
    check(&"a".repeat(256), false);
    check("", false);
    check("a b", false);
    check("a::b", false);
    check("ä", false);
}

#[test]
fn bare_features_belong_to_core() {
    assert_eq!(f("call_in"), QualifiedFeature::call_in());
    assert_eq!(f("core::call_in"), QualifiedFeature::call_in());
    assert_eq!(
        f("chat::chat_feature_1").to_string(),
        "chat::chat_feature_1"
    );
    assert!("chat::".parse::<QualifiedFeature>().is_err());
    assert!("::x".parse::<QualifiedFeature>().is_err());
    assert!("a::b::c".parse::<QualifiedFeature>().is_err());
}

#[test]
fn stored_arrays_are_read_leniently() {
    let stored = [Some("call_in"), None, Some("bad id!"), Some("chat::f")];
    assert_eq!(
        read_disabled_features(&stored),
        vec![f("core::call_in"), f("chat::f")]
    );
    assert_eq!(
        read_disabled_modules(&[Some("timer"), None, Some("")]),
        vec![m("timer")]
    );
}

#[test]
fn writing_is_strict() {
    assert!(strict_module("whiteboard").is_ok());
    assert!(strict_module("Whiteboard").is_err());
    assert!(strict_module("white-board").is_err());
    assert_eq!(
        strict_feature("core::call_in"),
        Ok(QualifiedFeature::call_in())
    );
    assert!(
        strict_feature("call_in").is_err(),
        "bare names are not written"
    );
    assert!(strict_feature("Core::call_in").is_err());
    assert!(strict_feature("core::call-in").is_err());
}

fn catalogue() -> ModuleCatalogue {
    let entry = |module: &str, features: &[&str]| {
        (
            m(module),
            features.iter().map(|x| x.parse().unwrap()).collect(),
        )
    };
    BTreeMap::from([
        entry("core", &["call_in"]),
        entry("chat", &["chat_feature_1", "chat_feature_2"]),
        entry("whiteboard", &[]),
        entry("timer", &[]),
        entry("media", &[]),
        entry("polls", &[]),
    ])
}

#[test]
fn tariff_resource_matches_the_upstream_example() {
    let disabled_modules = [m("whiteboard"), m("timer"), m("media"), m("polls")];
    let modules = tariff_modules(
        &catalogue(),
        &disabled_modules,
        &[f("chat::chat_feature_1")],
    );
    let rendered: Vec<(String, Vec<String>)> = modules
        .iter()
        .map(|(k, v)| (k.to_string(), v.iter().map(|x| x.to_string()).collect()))
        .collect();
    assert_eq!(
        rendered,
        vec![
            ("chat".to_owned(), vec!["chat_feature_2".to_owned()]),
            ("core".to_owned(), vec!["call_in".to_owned()]),
        ]
    );
}

#[test]
fn global_disabled_features_join_the_tariffs() {
    let effective = effective_disabled_features(
        &[f("chat::chat_feature_1")],
        &[f("call_in"), f("chat::chat_feature_1")],
    );
    assert_eq!(
        effective,
        vec![f("chat::chat_feature_1"), f("core::call_in")]
    );
    let modules = tariff_modules(&catalogue(), &[], &effective);
    assert_eq!(modules[&m("core")], Vec::<FeatureId>::new());
    assert_eq!(
        modules[&m("chat")],
        vec!["chat_feature_2".parse::<FeatureId>().unwrap()]
    );
    assert_eq!(modules.len(), 6);
}

#[test]
fn require_feature_checks_global_before_tariff() {
    let call_in = QualifiedFeature::call_in();
    let check = |global: &[QualifiedFeature], tariff: &[QualifiedFeature], want| {
        assert_eq!(require_feature(&call_in, global, tariff), want);
    };
    check(&[], &[], Ok(()));
    check(&[f("chat::x")], &[f("chat::x")], Ok(()));
    check(
        &[],
        &[f("call_in")],
        Err(FeatureDenied::DisabledByTariff(call_in.clone())),
    );
    check(
        &[f("call_in")],
        &[f("call_in")],
        Err(FeatureDenied::Disabled(call_in.clone())),
    );
    assert_eq!(
        FeatureDenied::Disabled(call_in.clone()).to_string(),
        "The feature \"call_in\" is disabled"
    );
    assert_eq!(
        FeatureDenied::DisabledByTariff(call_in).to_string(),
        "The user's tariff does not include the call_in feature"
    );
}

fn mapping() -> StatusMapping {
    StatusMapping {
        downgraded_tariff_name: "Fallback".into(),
        default: vec!["free".into(), "shared".into()],
        paid: vec!["pro".into(), "shared".into()],
        downgraded: vec!["late".into(), "pro".into()],
    }
}

#[test]
fn status_mapping_checks_default_then_paid_then_downgraded() {
    let check =
        |claim: &str, want: (TariffStatus, bool)| assert_eq!(mapping().map(claim), want, "{claim}");
    check("free", (TariffStatus::Default, false));
    check("shared", (TariffStatus::Default, false)); // in default and paid: default wins
    check("pro", (TariffStatus::Paid, false)); // in paid and downgraded: paid wins
    check("late", (TariffStatus::Downgraded, false));
    check("unknown", (TariffStatus::Default, true));
}

#[test]
fn login_tariff_resolution() {
    let by_ext = TariffAssignment::ByExternalTariffId;
    let stat = TariffAssignment::default();
    let map = mapping();
    let ok = |assigned, status, downgrade_to: Option<&str>, unknown: Option<&str>| LoginTariff {
        assigned,
        status,
        downgrade_to: downgrade_to.map(Into::into),
        unknown_status: unknown.map(Into::into),
    };
    let name = |s: &str| TariffLookup::ByName(s.into());
    let ext = |s: &str| TariffLookup::ByExternalId(s.into());

    assert_eq!(
        resolve_login_tariff(&stat, None, None, None),
        Ok(ok(
            name("OpenTalkDefaultTariff"),
            TariffStatus::Default,
            None,
            None
        ))
    );
    assert_eq!(
        resolve_login_tariff(&by_ext, None, None, None),
        Err(MissingClaim::TariffId)
    );
    assert_eq!(
        resolve_login_tariff(&by_ext, None, Some("gold"), Some("late")),
        Ok(ok(ext("gold"), TariffStatus::Default, None, None)),
        "no mapping: always default"
    );
    assert_eq!(
        resolve_login_tariff(&by_ext, Some(&map), Some("gold"), None),
        Err(MissingClaim::TariffStatus)
    );
    assert_eq!(
        resolve_login_tariff(&by_ext, Some(&map), None, None),
        Err(MissingClaim::TariffId)
    );
    let paid = resolve_login_tariff(&by_ext, Some(&map), Some("gold"), Some("pro")).unwrap();
    assert_eq!(paid, ok(ext("gold"), TariffStatus::Paid, None, None));
    assert_eq!(paid.effective(), ext("gold"));
    let down = resolve_login_tariff(&by_ext, Some(&map), Some("gold"), Some("late")).unwrap();
    assert_eq!(
        down,
        ok(
            ext("gold"),
            TariffStatus::Downgraded,
            Some("Fallback"),
            None
        )
    );
    assert_eq!(down.effective(), name("Fallback"));
    let odd = resolve_login_tariff(&stat, Some(&map), None, Some("??")).unwrap();
    assert_eq!(
        odd,
        ok(
            name("OpenTalkDefaultTariff"),
            TariffStatus::Default,
            None,
            Some("??")
        )
    );
}
