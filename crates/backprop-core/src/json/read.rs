//! The pull reader: the caller says what it expects next (an object, an `f32`, one of some
//! names) and the reader checks the text against RFC 8259 as it goes. Its functions are
//! `#[inline]` so that they are compiled in the calling crate, for size in the wasm build.

use std::fmt::Write as _;

use super::Json;
use crate::decimal::{parse_f32, parse_short};

/// Deepest nesting of arrays and objects read; deeper text is refused, not recursed into.
pub const MAX_DEPTH: usize = 64;
/// Most keys in one object. Each key is compared with the earlier ones, so this bounds that
/// work (a million keys would take hours); our files have a handful.
pub const MAX_KEYS: usize = 1000;
/// How much of a rejected string a message repeats.
const ECHO_LIMIT: usize = 40;

/// What is wrong with the text, and where: a line and column for broken syntax, the path of
/// the value (`network.hidden[2]`) for a value of the wrong kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub message: String,
}

pub type Read<T> = Result<T, ReadError>;

enum Step {
    Key(String),
    Index(usize),
}

pub struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    path: Vec<Step>,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            at: 0,
            depth: 0,
            path: Vec::new(),
        }
    }

    /// Reads one whole document with `read`: nothing but white space may follow the value.
    #[inline]
    pub fn document<T>(text: &'a str, read: impl FnOnce(&mut Self) -> Read<T>) -> Read<T> {
        let mut reader = Reader::new(text);
        let value = read(&mut reader)?;
        reader.space();
        if reader.at < text.len() {
            return Err(reader.syntax("unexpected text after the end of the JSON value"));
        }
        Ok(value)
    }

    /// True when an object comes next.
    pub fn at_object(&mut self) -> bool {
        self.space();
        self.peek() == Some(b'{')
    }

    /// An object: `field` is called with each key and must read its value. A key given twice,
    /// or more than [`MAX_KEYS`] keys, are refused.
    #[inline]
    pub fn object(&mut self, mut field: impl FnMut(&mut Self, &str) -> Read<()>) -> Read<()> {
        self.open(b'{', "an object")?;
        let mut keys: Vec<String> = Vec::new();
        if !self.close(b'}') {
            loop {
                self.space();
                if self.peek() != Some(b'"') {
                    return Err(self.syntax("expected a key in double quotes"));
                }
                let key = self.string_token()?;
                if keys.contains(&key) {
                    return Err(self.invalid(&format!("the key \"{}\" appears twice", echo(&key))));
                }
                if keys.len() == MAX_KEYS {
                    return Err(self.invalid(&format!("an object has more than {MAX_KEYS} keys")));
                }
                self.space();
                self.byte(b':', "expected ':' after a key")?;
                self.path.push(Step::Key(key.clone()));
                field(self, &key)?;
                self.path.pop();
                keys.push(key);
                if self.separator(b'}', "expected ',' or '}' after a value in an object")? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// An array: `item` is called for each element and must read it.
    #[inline]
    pub fn array(&mut self, mut item: impl FnMut(&mut Self) -> Read<()>) -> Read<()> {
        self.open(b'[', "an array")?;
        if !self.close(b']') {
            for index in 0.. {
                self.path.push(Step::Index(index));
                item(self)?;
                self.path.pop();
                if self.separator(b']', "expected ',' or ']' after a value in an array")? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// An array whose elements `item` reads, e.g. `r.list(Reader::f32)`.
    #[inline]
    pub fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Read<T>) -> Read<Vec<T>> {
        let mut values = Vec::new();
        self.array(|r| {
            values.push(item(r)?);
            Ok(())
        })?;
        Ok(values)
    }

    #[inline]
    pub fn string(&mut self) -> Read<String> {
        self.space();
        if self.peek() != Some(b'"') {
            return Err(self.expected("a string"));
        }
        self.string_token()
    }

    /// A number rounded to the nearest `f32` (beyond its range: infinity, for the caller's range
    /// check to refuse).
    #[inline]
    pub fn f32(&mut self) -> Read<f32> {
        self.space();
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.expected("a number"));
        }
        let text = self.number_token()?;
        parse_short(text)
            .or_else(|| parse_f32(text))
            .ok_or_else(|| {
                self.invalid(&format!(
                    "the number {} has more digits than a 32-bit float can use",
                    echo(text)
                ))
            })
    }

    /// A whole number from 0 to `max`, written without a fraction or exponent.
    #[inline]
    pub fn integer(&mut self, max: u64) -> Read<u64> {
        self.space();
        let expected = || format!("a whole number from 0 to {max}");
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.expected(&expected()));
        }
        let text = self.number_token()?;
        text.parse::<u64>()
            .ok()
            .filter(|&value| value <= max)
            .ok_or_else(|| self.invalid(&format!("expected {}, found {}", expected(), echo(text))))
    }

    #[inline]
    pub fn boolean(&mut self) -> Read<bool> {
        self.space();
        for (literal, value) in [("true", true), ("false", false)] {
            if self.literal(literal) {
                return Ok(value);
            }
        }
        Err(self.expected("true or false"))
    }

    /// `null` as None, anything else read by `read`.
    #[inline]
    pub fn optional<T>(&mut self, read: impl FnOnce(&mut Self) -> Read<T>) -> Read<Option<T>> {
        self.space();
        if self.literal("null") {
            Ok(None)
        } else {
            read(self).map(Some)
        }
    }

    /// A string that must be one of `options`' names; gives that option's value.
    #[inline]
    pub fn choice<T: Copy>(&mut self, options: &[(&str, T)]) -> Read<T> {
        let expected = || {
            let names: Vec<String> = options.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            format!("one of {}", names.join(", "))
        };
        self.space();
        if self.peek() != Some(b'"') {
            return Err(self.expected(&expected()));
        }
        let name = self.string_token()?;
        options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, value)| value)
            .ok_or_else(|| {
                self.invalid(&format!(
                    "expected {}, found \"{}\"",
                    expected(),
                    echo(&name)
                ))
            })
    }

    /// Any value, kept as it is.
    #[inline]
    pub fn value(&mut self) -> Read<Json> {
        self.space();
        Ok(match self.peek() {
            Some(b'{') => {
                let mut fields = Vec::new();
                self.object(|r, key| {
                    fields.push((key.to_string(), r.value()?));
                    Ok(())
                })?;
                Json::Object(fields)
            }
            Some(b'[') => {
                let mut items = Vec::new();
                self.array(|r| {
                    items.push(r.value()?);
                    Ok(())
                })?;
                Json::Array(items)
            }
            Some(b'"') => Json::String(self.string_token()?),
            Some(b'-' | b'0'..=b'9') => Json::Number(self.number_token()?.to_string()),
            _ => self.keyword()?,
        })
    }

    /// An object kept as it is: its fields, in order.
    #[inline]
    pub fn fields(&mut self) -> Read<Vec<(String, Json)>> {
        match self.value()? {
            Json::Object(fields) => Ok(fields),
            _ => Err(self.invalid("expected an object")),
        }
    }

    /// Any value, checked and passed over without keeping it.
    #[inline]
    pub fn skip(&mut self) -> Read<()> {
        self.space();
        match self.peek() {
            Some(b'{') => self.object(|r, _| r.skip()),
            Some(b'[') => self.array(|r| r.skip()),
            Some(b'"') => self.string_token().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number_token().map(drop),
            _ => self.keyword().map(drop),
        }
    }

    /// `null`, `true` or `false`.
    #[inline]
    fn keyword(&mut self) -> Read<Json> {
        for (word, value) in [
            ("null", Json::Null),
            ("true", Json::Bool(true)),
            ("false", Json::Bool(false)),
        ] {
            if self.literal(word) {
                return Ok(value);
            }
        }
        Err(self.expected("a JSON value"))
    }

    /// A field the caller found while reading an object, or the error that it is missing (at
    /// the object's path, so call it after `object`).
    pub fn required<T>(&self, value: Option<T>, field: &str) -> Read<T> {
        value.ok_or_else(|| self.invalid(&format!("the field \"{field}\" is missing")))
    }

    /// The error for a key the caller does not know, inside that key's value.
    pub fn unknown(&self, known: &[&str]) -> ReadError {
        self.invalid(&format!(
            "is not a known field; the fields are {}",
            known.join(", ")
        ))
    }

    /// An error about the value at the current path (the object's path when called after it).
    pub fn invalid(&self, message: &str) -> ReadError {
        if self.path.is_empty() {
            return ReadError {
                message: message.to_string(),
            };
        }
        let mut path = String::new();
        for step in &self.path {
            match step {
                Step::Key(key) if path.is_empty() => path.push_str(&echo(key)),
                Step::Key(key) => {
                    path.push('.');
                    path.push_str(&echo(key));
                }
                Step::Index(index) => {
                    let _ = write!(path, "[{index}]");
                }
            }
        }
        ReadError {
            message: format!("{path}: {message}"),
        }
    }

    /// "expected …, found a string": the kind of the value that is there instead.
    #[inline]
    fn expected(&self, what: &str) -> ReadError {
        let found = match self.peek() {
            Some(b'{') => "an object",
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            Some(b'-' | b'0'..=b'9') => "a number",
            _ if self.next_is("true") || self.next_is("false") => "a boolean",
            _ if self.next_is("null") => "null",
            None => return self.syntax("the text ends where a value should be"),
            Some(_) => return self.syntax("expected a JSON value"),
        };
        self.invalid(&format!("expected {what}, found {found}"))
    }

    /// A syntax error at the current position, as line and column (from 1).
    fn syntax(&self, message: &str) -> ReadError {
        let before = &self.text[..self.at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        ReadError {
            message: format!("line {line}, column {column}: {message}"),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn next_is(&self, word: &str) -> bool {
        self.text[self.at..].starts_with(word)
    }

    fn literal(&mut self, word: &str) -> bool {
        let found = self.next_is(word);
        if found {
            self.at += word.len();
        }
        found
    }

    fn byte(&mut self, expected: u8, message: &str) -> Read<()> {
        if self.peek() == Some(expected) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.syntax(message))
        }
    }

    /// Enters an array or object.
    #[inline]
    fn open(&mut self, bracket: u8, what: &str) -> Read<()> {
        self.space();
        if self.peek() != Some(bracket) {
            return Err(self.expected(what));
        }
        if self.depth == MAX_DEPTH {
            return Err(self.invalid(&format!("nested more than {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    /// Consumes `bracket` if it comes next (an empty array or object).
    fn close(&mut self, bracket: u8) -> bool {
        self.space();
        self.literal(if bracket == b'}' { "}" } else { "]" })
    }

    /// After a value in an array or object: true at its closing bracket, false after a comma.
    #[inline]
    fn separator(&mut self, bracket: u8, message: &str) -> Read<bool> {
        self.space();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(false)
            }
            Some(b) if b == bracket => {
                self.at += 1;
                Ok(true)
            }
            _ => Err(self.syntax(message)),
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as text.
    #[inline]
    fn number_token(&mut self) -> Read<&'a str> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at > from
        };
        let mut at = self.at;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let whole = at;
        let mut valid = digits(&mut at) && (bytes[whole] != b'0' || at == whole + 1);
        if valid && bytes.get(at) == Some(&b'.') {
            at += 1;
            valid = digits(&mut at);
        }
        if valid && matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            valid = digits(&mut at);
        }
        self.at = at;
        if !valid {
            return Err(self.syntax("malformed number"));
        }
        Ok(&self.text[start..at])
    }

    /// A string literal (the reader is at its opening quote), escapes decoded.
    #[inline]
    fn string_token(&mut self) -> Read<String> {
        let bytes = self.text.as_bytes();
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while bytes
                .get(self.at)
                .is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20)
            {
                self.at += 1;
            }
            // The stops are ASCII, so both ends are character boundaries.
            out.push_str(&self.text[start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(self.syntax("control character inside a string")),
                None => return Err(self.syntax("the text ends inside a string")),
            }
        }
    }

    /// The character of an escape (the reader is after its backslash).
    #[inline]
    fn escape(&mut self) -> Read<char> {
        let Some(letter) = self.peek() else {
            return Err(self.syntax("the text ends inside a string"));
        };
        self.at += 1;
        Ok(match letter {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&first) {
                    // A high surrogate must be followed by an escaped low one.
                    if !self.literal("\\u") {
                        return Err(self.syntax("unpaired surrogate in a \\u escape"));
                    }
                    let second = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(self.syntax("unpaired surrogate in a \\u escape"));
                    }
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else {
                    first
                };
                char::from_u32(code)
                    .ok_or_else(|| self.syntax("unpaired surrogate in a \\u escape"))?
            }
            _ => {
                self.at -= 1;
                return Err(self.syntax("invalid escape in a string"));
            }
        })
    }

    fn hex4(&mut self) -> Read<u32> {
        let digits = self.text.get(self.at..self.at + 4);
        match digits.filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit())) {
            Some(digits) => {
                self.at += 4;
                Ok(u32::from_str_radix(digits, 16).unwrap_or(0))
            }
            None => Err(self.syntax("a \\u escape needs four hex digits")),
        }
    }
}

fn echo(text: &str) -> String {
    crate::error::echo(text, ECHO_LIMIT)
}
