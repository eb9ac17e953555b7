//! Secrets from the operating system's random source: codes, verification ids and tokens.

use std::fmt::Write;

/// Errors from the OS random source (rare: no entropy device). Requests fail with 503.
pub type RandomError = getrandom::Error;

/// A code of `length` decimal digits, uniformly distributed (rejection sampling, no modulo bias).
pub fn code(length: u8) -> Result<String, RandomError> {
    let mut out = String::with_capacity(usize::from(length));
    while out.len() < usize::from(length) {
        let mut byte = [0u8; 1];
        getrandom::fill(&mut byte)?;
        // 250 is the largest multiple of 10 that fits in a byte.
        if byte[0] < 250 {
            out.push(char::from(b'0' + byte[0] % 10));
        }
    }
    Ok(out)
}

/// `prefix` followed by `bytes` random bytes in hex: unguessable ids and tokens.
pub fn token(prefix: &str, bytes: usize) -> Result<String, RandomError> {
    let mut raw = vec![0u8; bytes];
    getrandom::fill(&mut raw)?;
    let mut out = String::with_capacity(prefix.len() + bytes * 2);
    out.push_str(prefix);
    for b in raw {
        let _ = write!(out, "{b:02x}");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_length_and_only_digits() {
        for length in 4..=10 {
            let c = code(length).unwrap();
            assert_eq!(c.len(), usize::from(length));
            assert!(c.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn codes_use_every_digit() {
        let all: String = (0..200).map(|_| code(6).unwrap()).collect();
        for d in '0'..='9' {
            assert!(all.contains(d), "digit {d} never drawn in 1200 tries");
        }
    }

    #[test]
    fn tokens_are_prefixed_hex_and_distinct() {
        let a = token("vrf_", 16).unwrap();
        let b = token("vrf_", 16).unwrap();
        assert!(a.starts_with("vrf_") && a.len() == 4 + 32);
        assert_ne!(a, b);
    }
}
