//! The fold fixtures the PWA's fold is tested against (tests/interop/fold.test.js) still describe
//! this fold: every stored document folds here to the stored state.
use base64::Engine;
use dagstaat_sync::dagstaat::DagstaatDoc;

#[test]
fn the_stored_fold_fixtures_match_the_rust_fold() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/fold/cases.json"
    );
    let fixtures: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture file")).expect("json");
    let cases = fixtures["cases"].as_array().expect("cases");
    assert!(
        cases.len() >= 100,
        "the fixture file holds the generated cases"
    );
    for (n, case) in cases.iter().enumerate() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(case["doc"].as_str().expect("doc"))
            .expect("base64");
        let state = DagstaatDoc::load(&bytes)
            .expect("load")
            .state()
            .expect("state");
        assert_eq!(
            serde_json::to_value(&state.dagdelen).expect("json"),
            case["dagdelen"],
            "case {n}: regenerate with `cargo run -p dagstaat-sync --example fold_fixtures`"
        );
    }
}
