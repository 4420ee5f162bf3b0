//! Helpers shared by the matcher's integration tests.

use regex::Regex;

/// The oracle: the regex AWS's documentation gives for IAM_PATTERN, `*` → `.*` and `?` → `.?`,
/// anchored, with `.` matching newlines too.
pub fn oracle(pattern: &str) -> Regex {
    let mut re = String::from("^(?s:");
    for c in pattern.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push_str(".?"),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    re.push_str(")$");
    regex::RegexBuilder::new(&re)
        .size_limit(1 << 28)
        .build()
        .unwrap()
}
