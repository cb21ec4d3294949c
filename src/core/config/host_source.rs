//! Hosts a deployer adds to the Content-Security-Policy (`storage_hosts`).

/// `https://host[:port]` or `https://*.domain`, nothing else: the value goes
/// into the Content-Security-Policy as it is, so a `;` or a space in it
/// would add directives of its own.
pub fn is_host_source(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.strip_prefix("*.").unwrap_or(rest);
    let (name, port) = host.split_once(':').unwrap_or((host, ""));
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && port.chars().all(|c| c.is_ascii_digit())
        && (port.is_empty() || port.len() <= 5)
}
