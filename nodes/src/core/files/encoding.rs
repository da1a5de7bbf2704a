//! Text encodings as iconv-lite applies them in Convert to File and Extract from File
//! (`options.encoding`): the ones weft implements, parsed from n8n's option values, with
//! iconv-lite's details (`?` for a character the encoding cannot hold, a byte-order mark only for
//! the Unicode encodings, a leading BOM stripped on decode unless told otherwise).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// An encoding weft can encode to and decode from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    /// `utf8`, `utf-8`, `cesu8` (the same for text without surrogate pairs).
    Utf8,
    /// `ucs2`, `utf16le`, `utf-16le`.
    Utf16Le,
    /// `utf16be`.
    Utf16Be,
    /// `iso88591`, `latin1`: one byte per character up to U+00FF.
    Latin1,
    /// `binary`: the low byte of each UTF-16 unit, as Node's `latin1` buffers write it.
    Binary,
    /// `ascii`.
    Ascii,
    /// `base64`: the text is base64 and the bytes are what it decodes to.
    Base64,
    /// `hex`: the text is hex digits.
    Hex,
}

/// The n8n option values weft implements, for hints.
pub(crate) const NAMES: &str =
    "utf8, utf-8, cesu8, ucs2, utf16le, utf16be, latin1, iso88591, binary, ascii, base64, hex";

impl TextEncoding {
    /// The encoding an n8n option value names (iconv-lite's names, any case, `-`/`_` ignored).
    pub(crate) fn parse(name: &str) -> Option<Self> {
        let canonical: String = name
            .chars()
            .filter(|c| !matches!(c, '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        Some(match canonical.as_str() {
            "utf8" | "cesu8" | "unicode11utf8" => Self::Utf8,
            "ucs2" | "utf16le" => Self::Utf16Le,
            "utf16be" => Self::Utf16Be,
            "latin1" | "iso88591" => Self::Latin1,
            "binary" => Self::Binary,
            "ascii" | "usascii" => Self::Ascii,
            "base64" => Self::Base64,
            "hex" => Self::Hex,
            _ => return None,
        })
    }

    /// iconv-lite's `encode(text, encoding, { addBOM })`.
    pub(crate) fn encode(self, text: &str, add_bom: bool) -> Vec<u8> {
        let units = || text.encode_utf16();
        let lossy_byte =
            |limit: u16| move |unit: u16| if unit <= limit { unit as u8 } else { b'?' };
        let mut bytes = Vec::with_capacity(text.len() + 3);
        match self {
            Self::Utf8 => {
                if add_bom {
                    bytes.extend_from_slice("\u{feff}".as_bytes());
                }
                bytes.extend_from_slice(text.as_bytes());
            }
            Self::Utf16Le | Self::Utf16Be => {
                let big = self == Self::Utf16Be;
                let bom = add_bom.then_some(0xfeff);
                for unit in bom.into_iter().chain(units()) {
                    let pair = if big {
                        unit.to_be_bytes()
                    } else {
                        unit.to_le_bytes()
                    };
                    bytes.extend_from_slice(&pair);
                }
            }
            Self::Latin1 => bytes.extend(units().map(lossy_byte(0xff))),
            Self::Ascii => bytes.extend(units().map(lossy_byte(0x7f))),
            Self::Binary => bytes.extend(units().map(|unit| unit as u8)),
            Self::Base64 => bytes = node_base64(text),
            Self::Hex => bytes = node_hex(text),
        }
        bytes
    }

    /// iconv-lite's `decode(bytes, encoding, { stripBOM })`.
    pub(crate) fn decode(self, bytes: &[u8], strip_bom: bool) -> String {
        let text = match self {
            Self::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Self::Utf16Le | Self::Utf16Be => {
                let big = self == Self::Utf16Be;
                let units = bytes.chunks(2).map(|pair| match pair {
                    [a, b] if big => u16::from_be_bytes([*a, *b]),
                    [a, b] => u16::from_le_bytes([*a, *b]),
                    _ => 0xfffd,
                });
                char::decode_utf16(units)
                    .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect()
            }
            Self::Latin1 | Self::Binary => bytes.iter().map(|byte| char::from(*byte)).collect(),
            Self::Ascii => bytes
                .iter()
                .map(|byte| {
                    if byte.is_ascii() {
                        char::from(*byte)
                    } else {
                        char::REPLACEMENT_CHARACTER
                    }
                })
                .collect(),
            Self::Base64 => STANDARD.encode(bytes),
            Self::Hex => bytes.iter().map(|byte| format!("{byte:02x}")).collect(),
        };
        let unicode = matches!(self, Self::Utf8 | Self::Utf16Le | Self::Utf16Be);
        match text.strip_prefix('\u{feff}') {
            Some(rest) if unicode && strip_bom => rest.to_owned(),
            _ => text,
        }
    }
}

/// What n8n decodes without an `encoding` option (chardet's guess): UTF-8 when the bytes are
/// valid UTF-8, else ISO-8859-1. chardet guesses other single-byte charsets by statistics, so a
/// file that is not UTF-8 should name its encoding.
pub(crate) fn detect(bytes: &[u8]) -> TextEncoding {
    if std::str::from_utf8(bytes).is_ok() {
        TextEncoding::Utf8
    } else {
        TextEncoding::Latin1
    }
}

/// Node's `Buffer.from(text, 'base64')`: standard or URL-safe alphabet, whitespace and other
/// characters skipped, decoding stops at the first `=`, a trailing partial group kept as far as
/// it goes.
pub(crate) fn node_base64(text: &str) -> Vec<u8> {
    let sextets = text
        .bytes()
        .take_while(|byte| *byte != b'=')
        .filter_map(|byte| match byte {
            b'A'..=b'Z' => Some(byte - b'A'),
            b'a'..=b'z' => Some(byte - b'a' + 26),
            b'0'..=b'9' => Some(byte - b'0' + 52),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        });
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for sextet in sextets {
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    bytes
}

/// Node's `Buffer.from(text, 'hex')`: pairs of hex digits up to the first pair that is not one.
fn node_hex(text: &str) -> Vec<u8> {
    text.as_bytes()
        .chunks_exact(2)
        .map_while(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// Expected values from iconv-lite 0.6 (n8n 2.41.1) for the text `aé€😀`.
    #[test]
    fn encoding_matches_iconv_lite() {
        let cases = [
            ("utf8", "61c3a9e282acf09f9880", "efbbbf61c3a9e282acf09f9880"),
            ("ascii", "613f3f3f3f", "613f3f3f3f"),
            ("latin1", "61e93f3f3f", "61e93f3f3f"),
            ("binary", "61e9ac3d00", "61e9ac3d00"),
            ("ucs2", "6100e900ac203dd800de", "fffe6100e900ac203dd800de"),
            (
                "utf16be",
                "006100e920acd83dde00",
                "feff006100e920acd83dde00",
            ),
            ("base64", "", ""),
            ("hex", "", ""),
        ];
        for (name, plain, with_bom) in cases {
            let encoding = TextEncoding::parse(name).unwrap();
            assert_eq!(hex(&encoding.encode("aé€😀", false)), plain, "{name}");
            assert_eq!(
                hex(&encoding.encode("aé€😀", true)),
                with_bom,
                "{name} with BOM"
            );
        }
        assert_eq!(TextEncoding::Hex.encode("6869zz", false), b"hi");
        assert_eq!(TextEncoding::Base64.encode("aGk=", false), b"hi");
    }

    #[test]
    fn decoding_matches_iconv_lite() {
        let bytes = [0x61, 0xc3, 0xa9, 0xff, 0x80];
        let cases = [
            ("utf8", "aé\u{fffd}\u{fffd}"),
            ("ascii", "a\u{fffd}\u{fffd}\u{fffd}\u{fffd}"),
            ("latin1", "aÃ©ÿ\u{80}"),
            ("base64", "YcOp/4A="),
            ("hex", "61c3a9ff80"),
        ];
        for (name, expected) in cases {
            let encoding = TextEncoding::parse(name).unwrap();
            assert_eq!(encoding.decode(&bytes, true), expected, "{name}");
        }
        let with_bom = [0xef, 0xbb, 0xbf, 0x61];
        assert_eq!(TextEncoding::Utf8.decode(&with_bom, true), "a");
        assert_eq!(TextEncoding::Utf8.decode(&with_bom, false), "\u{feff}a");
        assert_eq!(TextEncoding::Latin1.decode(&with_bom, true), "ï»¿a");
        assert_eq!(
            TextEncoding::Utf16Le.decode(&[0xff, 0xfe, 0x61, 0x00], true),
            "a"
        );
        assert_eq!(TextEncoding::parse("UTF-16LE"), Some(TextEncoding::Utf16Le));
        assert_eq!(TextEncoding::parse("win1252"), None);
    }

    #[test]
    fn node_base64_is_lenient() {
        let cases: [(&str, &[u8]); 5] = [
            ("aGVsbG8=", b"hello"),
            ("aGVs bG8", b"hello"),
            ("aGVsbG8=trailing", b"hello"),
            ("_-8", &[0xff, 0xef]),
            ("", b""),
        ];
        for (text, expected) in cases {
            assert_eq!(node_base64(text), expected, "{text:?}");
        }
    }

    #[test]
    fn detection_prefers_utf8() {
        assert_eq!(detect("héllo".as_bytes()), TextEncoding::Utf8);
        assert_eq!(detect(&[0x68, 0xe9, 0x6c]), TextEncoding::Latin1);
    }
}
