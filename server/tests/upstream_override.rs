//! Nothing sends a key elsewhere than fal by accident: the tests' upstream
//! override (`--upstream-override`, `WAN_R2V_UPSTREAM_OVERRIDE`) stops
//! start-up in proxy mode unless the test-only flag comes with it.

mod support;

use support::process::{refusal, ServerProcess};

const KEY: &str = "override-id:override-secret-77";
const BASE: &str = "http://127.0.0.1:9";

#[test]
fn an_override_with_a_key_stops_start_up() {
    for (args, env) in [
        (
            vec![],
            vec![("FAL_KEY", KEY), ("WAN_R2V_UPSTREAM_OVERRIDE", BASE)],
        ),
        (vec!["--upstream-override", BASE], vec![("FAL_KEY", KEY)]),
        // A person's own key would go there too.
        (
            vec!["--forward-user-key"],
            vec![("WAN_R2V_UPSTREAM_OVERRIDE", BASE)],
        ),
    ] {
        let (code, stderr) = refusal(&args, &env);
        assert_eq!(code, 2, "{args:?} {env:?}: {stderr}");
        assert!(
            stderr.contains("WAN_R2V_UPSTREAM_OVERRIDE") && stderr.contains(BASE),
            "{stderr}"
        );
        assert!(
            !stderr.contains("override-secret"),
            "the key is never printed"
        );
    }
}

#[test]
fn the_test_only_flag_lets_it_through_and_the_simulator_ignores_it() {
    let with_flag = ServerProcess::try_start(
        &[
            "--dist",
            "/nonexistent-dist",
            "--upstream-override",
            BASE,
            "--allow-upstream-override-for-tests",
        ],
        &[("FAL_KEY", KEY)],
    );
    assert!(with_flag.is_ok(), "{:?}", with_flag.err());
    let simulating = ServerProcess::try_start(
        &["--simulate", "--dist", "/nonexistent-dist"],
        &[("WAN_R2V_UPSTREAM_OVERRIDE", BASE)],
    );
    assert!(simulating.is_ok(), "{:?}", simulating.err());
}
