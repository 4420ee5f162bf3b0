//! `cargo run -p portcullis-matcher --example match -- PATTERN ARN...`: checks principal ARNs
//! against an IAM_PATTERN and prints one line per ARN.

use std::process::ExitCode;

use portcullis_matcher::{PrincipalArn, PrincipalPattern};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(pattern) = args.next() else {
        eprintln!("usage: match PATTERN ARN...");
        return ExitCode::from(2);
    };
    let pattern = match PrincipalPattern::parse(&pattern) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("invalid pattern `{pattern}`: {e}");
            return ExitCode::from(2);
        }
    };
    let mut all = true;
    for arn in args {
        match PrincipalArn::parse(&arn) {
            Ok(principal) => {
                let hit = pattern.matches(&principal);
                all &= hit;
                println!("{} {arn}", if hit { "match" } else { "no-match" });
            }
            Err(e) => {
                eprintln!("invalid principal ARN `{arn}`: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if all {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
