//! Base45 (RFC 9285): the QR-alphanumeric encoding of DCC and CKD codes.

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn value(c: u8) -> Option<u32> {
    let v = match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'Z' => c - b'A' + 10,
        b' ' => 36,
        b'$' => 37,
        b'%' => 38,
        b'*' => 39,
        b'+' => 40,
        b'-' => 41,
        b'.' => 42,
        b'/' => 43,
        b':' => 44,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes strictly: unknown characters, a dangling single character and
/// groups above the byte range are errors.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 3 * 2 + 1);
    for chunk in bytes.chunks(3) {
        match *chunk {
            [c, d, e] => {
                let n = value(c)? + value(d)? * 45 + value(e)? * 45 * 45;
                let n = u16::try_from(n).ok()?;
                out.extend(n.to_be_bytes());
            }
            [c, d] => {
                let n = value(c)? + value(d)? * 45;
                out.push(u8::try_from(n).ok()?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Encodes bytes as Base45 text.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    let digit = |n: u32| char::from(ALPHABET[(n % 45) as usize]);
    for pair in bytes.chunks(2) {
        match *pair {
            [a, b] => {
                let n = u32::from(a) * 256 + u32::from(b);
                out.extend([digit(n), digit(n / 45), digit(n / 45 / 45)]);
            }
            [a] => {
                let n = u32::from(a);
                out.extend([digit(n), digit(n / 45)]);
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_9285_examples() {
        assert_eq!(encode(b"AB"), "BB8");
        assert_eq!(encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(decode("QED8WEX0").as_deref(), Some(&b"ietf!"[..]));
    }

    #[test]
    fn refuses_bad_input() {
        assert_eq!(decode("GGW"), None, "65535 < value");
        assert_eq!(decode("A"), None, "dangling character");
        assert_eq!(decode("ab"), None, "lower case is not base45");
        assert_eq!(decode("").as_deref(), Some(&[][..]));
    }
}
