//! Storage rules without HTTP: signatures, expiry, and the memory budget.

use super::*;

fn token_and_sig(url: &str) -> (String, String) {
    let (path, sig) = url.split_once("?sig=").unwrap();
    (path.rsplit('/').next().unwrap().to_owned(), sig.to_owned())
}

fn new_upload(s: &mut Storage, multipart: bool, ttl: Duration, now: Instant) -> (String, String) {
    let r = s.initiate(b"{}", multipart, "http://h", ttl, now).unwrap();
    token_and_sig(r["upload_url"].as_str().unwrap())
}

#[test]
fn single_upload_stores_and_expires() {
    let mut s = Storage::new(1 << 20, 100);
    let now = Instant::now();
    let ttl = Duration::from_secs(1);
    let r = s
        .initiate(
            br#"{"content_type":"image/png","file_name":"a b.png"}"#,
            false,
            "http://h",
            ttl,
            now,
        )
        .unwrap();
    assert!(r["file_url"].as_str().unwrap().ends_with("/a_b.png"));
    let (token, sig) = token_and_sig(r["upload_url"].as_str().unwrap());
    assert_eq!(
        s.put(&token, Some("x"), Bytes::from_static(b"1"), None, now)
            .unwrap_err()
            .0,
        403
    );
    s.put(&token, Some(&sig), Bytes::from_static(b"png!"), None, now)
        .unwrap();
    let file = s.file(&token, "a_b.png").unwrap();
    assert_eq!(
        (&file.bytes[..], file.content_type.as_str()),
        (&b"png!"[..], "image/png")
    );
    let late = now + ttl;
    assert_eq!(
        s.put(&token, Some(&sig), Bytes::new(), None, late)
            .unwrap_err()
            .0,
        403
    );
    assert_eq!(
        s.put(&token, Some(&sig), Bytes::from(vec![0; 101]), None, now)
            .unwrap_err()
            .0,
        413
    );
}

#[test]
fn capacity_drops_the_oldest_file() {
    let one = Holdings::file_cost(4);
    let mut s = Storage::new(2 * one + 3, 10);
    let now = Instant::now();
    let mut tokens = Vec::new();
    for _ in 0..3 {
        let (token, sig) = new_upload(&mut s, false, Duration::from_secs(9), now);
        s.put(&token, Some(&sig), Bytes::from(vec![1; 4]), None, now)
            .unwrap();
        tokens.push(token);
    }
    assert!(s.file(&tokens[0], "upload.bin").is_none());
    assert!(
        s.file(&tokens[1], "upload.bin").is_some() && s.file(&tokens[2], "upload.bin").is_some()
    );
    assert_eq!(s.used(), 2 * one);
}

#[test]
fn parts_count_against_the_budget_and_the_oldest_give_way() {
    let part = Holdings::part_cost(1000);
    let mut s = Storage::new(3 * part, 10_000);
    let now = Instant::now();
    let ttl = Duration::from_secs(60);
    let (first, first_sig) = new_upload(&mut s, true, ttl, now);
    for n in 1..=2 {
        s.put_part(&first, n, Some(&first_sig), Bytes::from(vec![1; 1000]), now)
            .unwrap();
    }
    assert_eq!(s.used(), 2 * part);
    // A re-sent part replaces the old one; it does not count twice.
    s.put_part(&first, 2, Some(&first_sig), Bytes::from(vec![2; 1000]), now)
        .unwrap();
    assert_eq!(s.used(), 2 * part);
    let (second, second_sig) = new_upload(&mut s, true, ttl, now);
    for n in 1..=2 {
        s.put_part(
            &second,
            n,
            Some(&second_sig),
            Bytes::from(vec![3; 1000]),
            now,
        )
        .unwrap();
    }
    assert!(s.used() <= 3 * part, "never over the budget: {}", s.used());
    // The first (oldest) upload's parts made room, and complete says so.
    let complete = br#"{"parts":[{"partNumber":1,"etag":"x"}]}"#;
    let (status, body) = s
        .complete(&first, Some(&first_sig), complete, "http://h", now)
        .unwrap_err();
    assert_eq!(status, 400);
    assert!(
        body["detail"].as_str().unwrap().contains("--sim-storage"),
        "{body}"
    );
    // One upload larger than the whole budget is refused, not stored.
    let (third, third_sig) = new_upload(&mut s, true, ttl, now);
    for n in 1..=4 {
        let put = s.put_part(&third, n, Some(&third_sig), Bytes::from(vec![4; 1000]), now);
        if n == 4 {
            assert_eq!(put.unwrap_err().0, 413);
        }
    }
    assert!(s.used() <= 3 * part);
}

#[test]
fn abandoned_uploads_are_freed_when_they_expire() {
    let mut s = Storage::new(1 << 20, 1 << 20);
    let now = Instant::now();
    let ttl = Duration::from_secs(5);
    let (token, sig) = new_upload(&mut s, true, ttl, now);
    s.put_part(&token, 1, Some(&sig), Bytes::from(vec![0; 4000]), now)
        .unwrap();
    assert!(s.used() >= 4000);
    let later = now + ttl + Duration::from_secs(1);
    new_upload(&mut s, false, ttl, later);
    assert_eq!(s.used(), 0, "the expired upload's parts are gone");
    assert_eq!(
        s.put_part(&token, 2, Some(&sig), Bytes::new(), later)
            .unwrap_err()
            .0,
        403,
        "and it still answers as expired"
    );
}

#[test]
fn upload_addresses_are_capped_and_checked_before_the_body() {
    let mut s = Storage::new(1 << 20, 100);
    let now = Instant::now();
    let ttl = Duration::from_secs(60);
    let (token, sig) = new_upload(&mut s, false, ttl, now);
    assert_eq!(
        s.body_limit(&token, Some(&sig), None, Some(50), now),
        Ok(100)
    );
    assert_eq!(
        s.body_limit(&token, Some(&sig), None, Some(101), now)
            .unwrap_err()
            .0,
        413
    );
    assert_eq!(
        s.body_limit(&token, Some("no"), None, None, now)
            .unwrap_err()
            .0,
        403
    );
    assert_eq!(
        s.body_limit(&token, Some(&sig), Some(1), None, now)
            .unwrap_err()
            .0,
        404
    );
    for _ in 0..super::MAX_UPLOADS + 5 {
        new_upload(&mut s, false, ttl, now);
    }
    assert_eq!(s.uploads.len(), super::MAX_UPLOADS);
    let long = format!(r#"{{"content_type":"{}"}}"#, "x".repeat(300));
    let refused = s.initiate(long.as_bytes(), false, "http://h", ttl, now);
    assert_eq!(refused.unwrap_err().0, 422);
}
