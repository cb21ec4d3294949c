//! The Content-Security-Policy header on the app's files: computed from the
//! config.json the server hands out, so it allows exactly the hosts the app
//! will talk to and the pages allowed to embed it.

mod support;

use std::path::{Path, PathBuf};

use support::server;
use wan_r2v_server::RunningServer;
use wan_r2v_studio::core::config::csp::content_security_policy;
use wan_r2v_studio::core::config::runtime::AppConfig;

fn dist(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wan-r2v-csp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>studio</title>",
    )
    .unwrap();
    std::fs::write(dir.join("app-0123456789abcdef.js"), "export {};").unwrap();
    dir
}

async fn policy_of(server: &RunningServer, path: &str) -> String {
    let response = support::raw_client()
        .get(format!("{}{path}", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned()
}

async fn with_config(dir: &Path, json: &str) -> RunningServer {
    let file = dir.join("deployer-config.json");
    std::fs::write(&file, json).unwrap();
    server(
        &[
            "--simulate",
            "--dist",
            dir.to_str().unwrap(),
            "--app-config",
            file.to_str().unwrap(),
        ],
        None,
    )
    .await
}

#[tokio::test]
async fn the_generated_config_gets_the_default_policy_on_every_file() {
    let dir = dist("generated");
    let server = server(&["--simulate", "--dist", dir.to_str().unwrap()], None).await;
    let expected = content_security_policy(&AppConfig {
        proxy_url: Some("./api/fal/proxy".into()),
        ..AppConfig::default()
    });
    for path in ["/", "/index.html", "/app-0123456789abcdef.js"] {
        assert_eq!(policy_of(&server, path).await, expected, "{path}");
    }
    assert!(expected.contains("frame-ancestors 'self'"));
    assert!(!expected.contains("unsafe-inline"));
}

#[tokio::test]
async fn a_deployers_config_shapes_connect_src_and_frame_ancestors() {
    let dir = dist("file");
    let server = with_config(
        &dir,
        r#"{"proxy_url": "https://proxy.example/api/fal/proxy", "simulated": true,
            "embed_allowed_origins": ["https://host.example", "http://127.0.0.1:9000"]}"#,
    )
    .await;
    let policy = policy_of(&server, "/").await;
    assert!(
        policy.contains(
            "connect-src 'self' https://queue.fal.run https://rest.fal.ai https://proxy.example https://*.fal.media"
        ),
        "{policy}"
    );
    assert!(
        policy.contains("frame-ancestors 'self' https://host.example http://127.0.0.1:9000"),
        "{policy}"
    );
}
