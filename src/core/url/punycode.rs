//! Punycode (RFC 3492), the `xn--` form of internationalised host labels: decoded to see what a
//! label really shows (`xn--80ak6aa92e` is `аррӏе`, Cyrillic letters that read "apple"), and
//! encoded to compare a Unicode host typed into the merchant's tool with what browsers report.
//! A few dozen lines instead of the `idna` crate (about 10 KB gzip in the wasm).

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 0x80;

/// The Unicode form of a label's punycode part (without `xn--`); `None` when it is malformed.
pub fn decode(input: &str) -> Option<String> {
    let (basic, encoded) = input.rsplit_once('-').unwrap_or(("", input));
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut digits = encoded.bytes().map(digit);
    while let Some(first) = digits.next() {
        let old_i = i;
        let (mut w, mut k, mut next) = (1u32, BASE, Some(first));
        loop {
            let digit = next??;
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
            next = digits.next();
        }
        let length = u32::try_from(output.len()).ok()? + 1;
        bias = adapt(i - old_i, length, old_i == 0);
        n = n.checked_add(i / length)?;
        i %= length;
        output.insert(usize::try_from(i).ok()?, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

/// The punycode of a Unicode label (without `xn--`).
pub fn encode(input: &str) -> Option<String> {
    let chars: Vec<u32> = input.chars().map(u32::from).collect();
    let mut output: String = input.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(output.len()).ok()?;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (INITIAL_N, 0u32, INITIAL_BIAS, basic);
    while usize::try_from(handled).ok()? < chars.len() {
        let m = chars.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &chars {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    output.push(symbol(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(symbol(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

fn digit(byte: u8) -> Option<u32> {
    match byte {
        b'a'..=b'z' => Some(u32::from(byte - b'a')),
        b'A'..=b'Z' => Some(u32::from(byte - b'A')),
        b'0'..=b'9' => Some(u32::from(byte - b'0') + 26),
        _ => None,
    }
}

fn symbol(digit: u32) -> char {
    // Digits are below BASE by construction: 0–25 are letters, 26–35 digits.
    let byte = if digit < 26 {
        b'a' + digit as u8
    } else {
        b'0' + (digit - 26) as u8
    };
    char::from(byte)
}

fn threshold(k: u32, bias: u32) -> u32 {
    k.saturating_sub(bias).clamp(T_MIN, T_MAX)
}

fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairs checked against Python's `str.encode("punycode")`.
    const PAIRS: [(&str, &str); 7] = [
        ("bücher", "bcher-kva"),
        ("münchen", "mnchen-3ya"),
        ("аррӏе", "80ak6aa92e"),
        ("пример", "e1afmkfd"),
        ("日本語", "wgv71a119e"),
        ("paypаl", "paypl-7ve"),
        ("a-b-ü", "a-b--3ra"),
    ];

    #[test]
    fn decodes_and_encodes_known_labels() {
        for (unicode, puny) in PAIRS {
            assert_eq!(decode(puny).as_deref(), Some(unicode), "{puny}");
            assert_eq!(encode(unicode).as_deref(), Some(puny), "{unicode}");
        }
    }

    #[test]
    fn malformed_punycode_is_refused() {
        for bad in ["bcher-kv!", "ü-abc", "9", "99999999999"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
